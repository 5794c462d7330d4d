import { createTokenVerifier } from '@sanad/auth';
import { apiClient, testCaller, testTokenKeys } from '../src';

describe('apiClient', () => {
  const fetchMock = jest.spyOn(globalThis, 'fetch');
  afterEach(() => fetchMock.mockReset());
  afterAll(() => fetchMock.mockRestore());

  const sent = () => {
    const [url, init] = fetchMock.mock.calls.at(-1) ?? [];
    return { url, init: init as RequestInit & { headers: Record<string, string> } };
  };

  it('sends a token the service accepts for the caller, and JSON only with a body', async () => {
    fetchMock.mockImplementation(async () => new Response('{"ok":true}', { status: 201 }));
    const caller = testCaller('coach');
    const api = apiClient('http://service', 'placement');

    const answer = await api.post('/participants', caller, { name: 'x' }, { 'x-test': 'yes' });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ ok: true });
    const post = sent();
    expect(post.url).toBe('http://service/participants');
    expect(post.init).toMatchObject({ method: 'POST', body: '{"name":"x"}' });
    expect(post.init.headers).toMatchObject({
      'content-type': 'application/json',
      'x-test': 'yes',
    });
    const verifier = createTokenVerifier(testTokenKeys.publicKey, { audience: 'placement' });
    const token = post.init.headers.authorization?.replace(/^Bearer /, '') ?? '';
    expect(await verifier.verify(token)).toEqual(caller);

    await api.get('/participants', caller);
    expect(sent().init.method).toBe('GET');
    expect(sent().init).not.toHaveProperty('body');
    expect(sent().init.headers).not.toHaveProperty('content-type');
  });

  it('answers an empty body as undefined, and the headers as they came', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204, headers: { etag: '"1"' } }));
    const answer = await apiClient('http://service', 'checkin').put('/x', testCaller('admin'));
    expect(sent().init.method).toBe('PUT');
    expect(answer).toMatchObject({ status: 204, body: undefined });
    expect(answer.headers.get('etag')).toBe('"1"');
  });
});
