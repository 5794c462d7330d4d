import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import { testCaller, uniqueName } from '@sanad/testing';
import { startPlacement, type RunningPlacement } from './support/start-placement';

const coach = testCaller('coach', { programmeIds: [randomUUID()] });
const manager = testCaller('programme-manager');
const admin = testCaller('admin');

interface ContactBody {
  id: string;
  role: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  preferredLanguage: string;
}
interface EmployerBody {
  id: string;
  name: string;
  sector: string;
  region: string;
  contacts: ContactBody[];
  version: number;
  createdAt: string;
}

const hrContact = (over: Record<string, unknown> = {}) => ({
  role: 'hr',
  fullName: 'Salim Al-Harthy',
  email: 'salim.hr@example.com',
  phone: '+968 2412 3456',
  preferredLanguage: 'ar',
  ...over,
});
const supervisorContact = (over: Record<string, unknown> = {}) => ({
  role: 'supervisor',
  fullName: 'Mariam Al-Lawati',
  email: 'mariam@example.com',
  preferredLanguage: 'en',
  ...over,
});
const employerBody = (over: Record<string, unknown> = {}) => ({
  name: uniqueName('Sohar Packaging'),
  sector: 'manufacturing',
  region: 'al-batinah-north',
  contacts: [hrContact(), supervisorContact()],
  ...over,
});

describe('employers on the real servers', () => {
  let placement: RunningPlacement;
  beforeAll(async () => {
    placement = await startPlacement();
  });
  afterAll(() => placement.stop());

  const employersStored = () => placement.db.collection('employers').countDocuments();
  const auditCount = () => placement.db.collection('audit_log').countDocuments();
  const create = async (over: Record<string, unknown> = {}, as: Caller = coach) => {
    const res = await placement.api.post('/employers', as, employerBody(over));
    expect(res.status).toBe(201);
    return res.body.employer as EmployerBody;
  };
  const paths = (body: { error: { problems: { path: string }[] } }) =>
    body.error.problems.map((p) => p.path).sort();
  const updateBody = (e: EmployerBody, over: Record<string, unknown> = {}) => ({
    version: e.version,
    name: e.name,
    sector: e.sector,
    region: e.region,
    contacts: e.contacts,
    ...over,
  });

  describe('POST /employers', () => {
    it('records an employer with its contacts, audited as create', async () => {
      const body = employerBody();
      const res = await placement.api.post('/employers', coach, body);
      expect(res.status).toBe(201);
      const employer = res.body.employer as EmployerBody;
      expect(res.headers.get('location')).toBe(`/employers/${employer.id}`);
      expect(employer).toEqual({
        id: expect.any(String),
        name: body.name,
        sector: 'manufacturing',
        region: 'al-batinah-north',
        contacts: [
          {
            id: expect.any(String),
            role: 'hr',
            fullName: 'Salim Al-Harthy',
            email: 'salim.hr@example.com',
            phone: '+96824123456',
            preferredLanguage: 'ar',
          },
          {
            id: expect.any(String),
            role: 'supervisor',
            fullName: 'Mariam Al-Lawati',
            email: 'mariam@example.com',
            phone: null,
            preferredLanguage: 'en',
          },
        ],
        version: 1,
        createdAt: expect.any(String),
      });
      expect(employer.contacts[0]!.id).not.toBe(employer.contacts[1]!.id);
      expect(await placement.auditAbout(employer.id)).toEqual([
        expect.objectContaining({
          action: 'create',
          purpose: 'follow-up',
          actor: { userId: coach.userId, role: 'coach' },
          subject: { type: 'employer', id: employer.id },
        }),
      ]);
    });

    it('records one employer for a double submission with the same Idempotency-Key', async () => {
      const key = uniqueName('employer-form');
      const body = employerBody();
      const before = await employersStored();
      const [a, b] = await Promise.all([
        placement.api.post('/employers', coach, body, { 'idempotency-key': key }),
        placement.api.post('/employers', coach, body, { 'idempotency-key': key }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.employer).toEqual(b.body.employer);
      const replay = await placement.api.post('/employers', coach, body, {
        'idempotency-key': key,
      });
      expect(replay.status).toBe(200);
      expect(replay.body.employer).toEqual(a.body.employer);
      expect(await employersStored()).toBe(before + 1);

      const other = await placement.api.post(
        '/employers',
        coach,
        { ...body, region: 'dhofar' },
        { 'idempotency-key': key },
      );
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('CONFLICT');

      // Another caller's identical key names another employer.
      const theirs = await placement.api.post('/employers', manager, body, {
        'idempotency-key': key,
      });
      expect(theirs.status).toBe(201);
      expect(theirs.body.employer.id).not.toBe(a.body.employer.id);
      expect(await employersStored()).toBe(before + 2);
    });

    it.each([
      ['a missing name', employerBody({ name: undefined }), ['name']],
      ['an empty name', employerBody({ name: '   ' }), ['name']],
      ['an unknown sector', employerBody({ sector: 'mining' }), ['sector']],
      ['an unknown region', employerBody({ region: 'riyadh' }), ['region']],
      ['no contact', employerBody({ contacts: [] }), ['contacts']],
      [
        'more than 20 contacts',
        employerBody({ contacts: Array.from({ length: 21 }, () => hrContact()) }),
        ['contacts'],
      ],
      [
        'a bad email',
        employerBody({ contacts: [hrContact({ email: 'salim@' })] }),
        ['contacts.0.email'],
      ],
      [
        'a phone that is not international',
        employerBody({ contacts: [hrContact(), hrContact({ phone: '24123456' })] }),
        ['contacts.1.phone'],
      ],
      [
        'a name too long',
        employerBody({ contacts: [hrContact({ fullName: 'x'.repeat(121) })] }),
        ['contacts.0.fullName'],
      ],
      [
        'an unknown role',
        employerBody({ contacts: [hrContact({ role: 'ceo' })] }),
        ['contacts.0.role'],
      ],
      [
        'an unknown language',
        employerBody({ contacts: [hrContact({ preferredLanguage: 'fr' })] }),
        ['contacts.0.preferredLanguage'],
      ],
      [
        'a contact id (new contacts get one)',
        employerBody({ contacts: [hrContact({ id: randomUUID() })] }),
        ['contacts.0.id'],
      ],
      ['an unknown field', employerBody({ commercialRegister: '123' }), ['commercialRegister']],
    ])(
      'answers 400 naming the field for %s, and stores and audits nothing',
      async (_case, body, expected) => {
        const [employers, audits] = [await employersStored(), await auditCount()];
        const res = await placement.api.post('/employers', coach, body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(paths(res.body)).toEqual(expected);
        expect(await employersStored()).toBe(employers);
        expect(await auditCount()).toBe(audits);
      },
    );

    it('answers 400 naming a bad Idempotency-Key, storing nothing', async () => {
      const before = await employersStored();
      const res = await placement.api.post('/employers', coach, employerBody(), {
        'idempotency-key': 'short',
      });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['headers.idempotency-key']);
      expect(await employersStored()).toBe(before);
    });

    it('refuses an employer user (403), storing nothing', async () => {
      const before = await employersStored();
      const user = testCaller('employer-user');
      const res = await placement.api.post('/employers', user, employerBody());
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(await employersStored()).toBe(before);
    });
  });

  describe('GET /employers', () => {
    it('lists by name in any case, without contacts, filtered by sector, region and q', async () => {
      const tag = uniqueName('tag');
      const [b, a, c, d] = [
        await create({ name: `Bravo ${tag}`, sector: 'retail', region: 'muscat' }),
        await create({ name: `alpha ${tag}`, sector: 'retail', region: 'dhofar' }),
        await create({ name: `Charlie ${tag}`, sector: 'ict', region: 'muscat' }),
        await create({ name: `delta (${tag}).*`, sector: 'retail', region: 'muscat' }),
      ];
      const list = async (query: string) => {
        const res = await placement.api.get(`/employers?${query}`, coach);
        expect(res.status).toBe(200);
        return res.body.employers as Record<string, unknown>[];
      };
      const all = await list(`q=${tag.toUpperCase()}`);
      expect(all).toEqual(
        [a, b, c, d].map(({ id, name, sector, region }) => ({ id, name, sector, region })),
      );
      const ids = (found: Record<string, unknown>[]) => found.map((e) => e.id);
      expect(ids(await list(`q=${tag}&sector=retail`))).toEqual([a.id, b.id, d.id]);
      expect(ids(await list(`q=${tag}&region=muscat`))).toEqual([b.id, c.id, d.id]);
      expect(ids(await list(`q=${tag}&sector=retail&region=muscat`))).toEqual([b.id, d.id]);
      expect(ids(await list(`q=${tag}&limit=2`))).toEqual([a.id, b.id]);
      // q is matched literally, not as a pattern.
      expect(ids(await list(`q=${encodeURIComponent(`(${tag}).*`)}`))).toEqual([d.id]);
      expect(ids(await list(`q=${encodeURIComponent('.*')}&sector=retail&region=dhofar`))).toEqual(
        [],
      );
    });

    it.each([
      ['sector=mining', ['query.sector']],
      ['region=riyadh', ['query.region']],
      ['limit=0', ['query.limit']],
      ['limit=abc', ['query.limit']],
      ['colour=red', ['query.colour']],
    ])('answers 400 naming the parameter for %s', async (query, expected) => {
      const res = await placement.api.get(`/employers?${query}`, coach);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(expected);
    });
  });

  describe('GET /employers/:employerId', () => {
    it('gives the employer with its contacts, audited as a read with the purpose given', async () => {
      const e = await create();
      const res = await placement.api.get(`/employers/${e.id}`, manager, {
        'x-access-purpose': 'employer-contact',
      });
      expect(res.status).toBe(200);
      expect(res.body.employer).toEqual(e);
      const reads = (await placement.auditAbout(e.id)).filter((entry) => entry.action === 'read');
      expect(reads).toEqual([
        expect.objectContaining({
          purpose: 'employer-contact',
          actor: { userId: manager.userId, role: 'programme-manager' },
          subject: { type: 'employer', id: e.id },
        }),
      ]);
    });

    it('answers 404 for an unknown employer and 400 for a malformed id', async () => {
      const missing = await placement.api.get(`/employers/${randomUUID()}`, admin);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      const malformed = await placement.api.get('/employers/e1', admin);
      expect(malformed.status).toBe(400);
      expect(paths(malformed.body)).toEqual(['params.employerId']);
    });
  });

  describe('PUT /employers/:employerId', () => {
    it('keeps contacts named by id, adds new ones, drops the others; version 2; audited', async () => {
      const e = await create();
      const [hr] = e.contacts;
      const res = await placement.api.put(
        `/employers/${e.id}`,
        coach,
        updateBody(e, {
          name: `${e.name} LLC`,
          region: 'muscat',
          contacts: [
            { ...hr, phone: null, email: 'new.hr@example.com' },
            supervisorContact({ fullName: 'Khalid New' }),
          ],
        }),
      );
      expect(res.status).toBe(200);
      const updated = res.body.employer as EmployerBody;
      expect(updated).toMatchObject({
        id: e.id,
        name: `${e.name} LLC`,
        region: 'muscat',
        version: 2,
      });
      expect(updated.createdAt).toBe(e.createdAt);
      expect(updated.contacts).toEqual([
        { ...hr, phone: null, email: 'new.hr@example.com' },
        expect.objectContaining({ fullName: 'Khalid New', role: 'supervisor' }),
      ]);
      expect(e.contacts.map((c) => c.id)).not.toContain(updated.contacts[1]!.id);
      expect((await placement.api.get(`/employers/${e.id}`, coach)).body.employer).toEqual(updated);
      expect((await placement.auditAbout(e.id)).map((entry) => entry.action)).toEqual([
        'create',
        'update',
        'read',
      ]);
    });

    it('answers 409 STALE_VERSION for a version that is not current, changing nothing', async () => {
      const e = await create();
      const first = await placement.api.put(
        `/employers/${e.id}`,
        coach,
        updateBody(e, { name: 'First' }),
      );
      expect(first.status).toBe(200);
      const stale = await placement.api.put(
        `/employers/${e.id}`,
        coach,
        updateBody(e, { name: 'Second' }),
      );
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('STALE_VERSION');
      const now = (await placement.api.get(`/employers/${e.id}`, coach)).body.employer;
      expect(now).toMatchObject({ name: 'First', version: 2 });
    });

    it('lets one of several changes decided on the same version through, the others 409', async () => {
      const e = await create();
      const results = await Promise.all(
        ['One', 'Two', 'Three'].map((name) =>
          placement.api.put(`/employers/${e.id}`, coach, updateBody(e, { name })),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const winner = results.find((r) => r.status === 200)!.body.employer as EmployerBody;
      expect((await placement.api.get(`/employers/${e.id}`, coach)).body.employer).toEqual(winner);
    });

    it.each([
      [
        'a contact id not of this employer',
        { contacts: [hrContact({ id: randomUUID() })] },
        ['contacts.0.id'],
      ],
      ['no contact', { contacts: [] }, ['contacts']],
      ['no version', { version: undefined }, ['version']],
      ['a bad email', { contacts: [hrContact({ email: 'x@' })] }, ['contacts.0.email']],
      ['an unknown field', { notes: 'x' }, ['notes']],
    ])('answers 400 naming the field for %s, changing nothing', async (_case, over, expected) => {
      const e = await create();
      const res = await placement.api.put(`/employers/${e.id}`, coach, updateBody(e, over));
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(expected);
      expect((await placement.api.get(`/employers/${e.id}`, coach)).body.employer).toEqual(e);
    });

    it('answers 404 for an unknown employer', async () => {
      const e = await create();
      const res = await placement.api.put(`/employers/${randomUUID()}`, coach, updateBody(e));
      expect(res.status).toBe(404);
    });
  });

  describe('an employer user', () => {
    it('sees, lists and updates their own employer only; others do not exist for them', async () => {
      const tag = uniqueName('own');
      const own = await create({ name: `Own ${tag}` });
      const other = await create({ name: `Other ${tag}` });
      const user = testCaller('employer-user', { employerId: own.id });

      const listed = await placement.api.get('/employers?limit=100', user);
      expect(listed.status).toBe(200);
      expect(listed.body.employers).toEqual([
        { id: own.id, name: own.name, sector: own.sector, region: own.region },
      ]);

      expect((await placement.api.get(`/employers/${own.id}`, user)).status).toBe(200);
      const hidden = await placement.api.get(`/employers/${other.id}`, user);
      const missing = await placement.api.get(`/employers/${randomUUID()}`, user);
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual(missing.body);

      const updated = await placement.api.put(
        `/employers/${own.id}`,
        user,
        updateBody(own, { contacts: [...own.contacts, supervisorContact({ fullName: 'Added' })] }),
      );
      expect(updated.status).toBe(200);
      expect(updated.body.employer.contacts).toHaveLength(3);
      const refused = await placement.api.put(`/employers/${other.id}`, user, updateBody(other));
      expect(refused.status).toBe(404);
      expect((await placement.api.get(`/employers/${other.id}`, admin)).body.employer).toEqual(
        other,
      );

      const without = testCaller('employer-user', { employerId: null });
      expect((await placement.api.get('/employers', without)).body.employers).toEqual([]);
      expect((await placement.api.get(`/employers/${own.id}`, without)).status).toBe(404);
    });
  });
});
