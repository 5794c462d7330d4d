import type { Caller } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import {
  apiClient,
  bearerFor,
  createTestEmployer,
  dropDatabases,
  readTopic,
  serviceTestEnv,
  testCaller,
  testKafka,
  uniqueName,
} from '@sanad/testing';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config';
import { startPlacementService } from '../src/main';

/** The employer of `body()`, made through the API before the tests (placements need one). */
let employerId = '6f1c0d7e-1111-4a4a-8b8b-123456789abd';

const body = () => ({
  participantId: '6f1c0d7e-1111-4a4a-8b8b-123456789abc',
  employerId,
  programmeId: '6f1c0d7e-1111-4a4a-8b8b-123456789abe',
  coachId: '6f1c0d7e-1111-4a4a-8b8b-123456789abf',
  jobTitle: 'Library assistant',
  startDate: '2026-09-01',
  hoursPerWeek: 24,
  wage: { amount: 280, currency: 'OMR', period: 'month' },
});

/** The coach of `body()`: allowed to record it. */
const coach = testCaller('coach', { userId: body().coachId });
const admin = testCaller('admin');

describe('POST /placements on the real servers', () => {
  const env = serviceTestEnv('placement');
  const topic = env.KAFKA_TOPIC_PREFIX + Topics.placement;
  let service: Awaited<ReturnType<typeof startPlacementService>>;
  let url: string;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startPlacementService(loadConfig(env));
    url = `http://127.0.0.1:${service.port}`;
    db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    employerId = (await createTestEmployer(apiClient(url, 'placement'), coach)).id;
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
    await dropDatabases([env.MONGO_DB]);
  });

  const post = async (
    payload: string | object,
    headers: Record<string, string> = {},
    as: Caller = coach,
  ) =>
    fetch(`${url}/placements`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await bearerFor(as, 'placement'),
        ...headers,
      },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const get = async (path: string, as: Caller = admin) =>
    fetch(`${url}${path}`, { headers: { authorization: await bearerFor(as, 'placement') } });

  const stored = () => db.collection('placements').countDocuments();
  const published = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return offsets.reduce((n, o) => n + Number(o.high), 0);
  };

  it.each([
    ['a wrong type', { ...body(), hoursPerWeek: 'thirty' }, ['hoursPerWeek']],
    ['hours out of range', { ...body(), hoursPerWeek: 81 }, ['hoursPerWeek']],
    ['a missing field', (({ jobTitle: _j, ...rest }) => rest)(body()), ['jobTitle']],
    ['an unknown field', { ...body(), participantName: 'Aisha' }, ['participantName']],
    [
      'a bad nested field',
      { ...body(), wage: { amount: -1, currency: 'rial', period: 'month' } },
      ['wage.amount', 'wage.currency'],
    ],
    ['a bad date', { ...body(), startDate: '2026-02-30x' }, ['startDate']],
  ])(
    'answers 400 naming the field for %s, and stores and emits nothing',
    async (_case, payload, paths) => {
      const res = await post(payload);
      expect(res.status).toBe(400);
      const answer = (await res.json()) as {
        error: { code: string; problems: { path: string }[] };
      };
      expect(answer.error.code).toBe('VALIDATION_FAILED');
      expect(answer.error.problems.map((p) => p.path).sort()).toEqual(paths);
      expect(await stored()).toBe(0);
      expect(await published()).toBe(0);
    },
  );

  it('answers 400 to invalid JSON and 413 to a body over the limit, storing nothing', async () => {
    const broken = await post('{"jobTitle": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
    const huge = await post({ ...body(), jobTitle: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(await stored()).toBe(0);
    expect(await published()).toBe(0);
  });

  it('stores a good placement and publishes placement.recorded keyed by its id, with no personal data', async () => {
    const res = await post(body());
    expect(res.status).toBe(201);
    const { placement } = (await res.json()) as { placement: { id: string; status: string } };
    expect(res.headers.get('location')).toBe(`/placements/${placement.id}`);
    expect(placement.status).toBe('recorded');

    const [message] = await readTopic(testKafka(), topic, { count: 1 });
    expect(message?.key).toBe(placement.id);
    const event = JSON.parse(message?.value ?? '{}');
    expect(event).toMatchObject({
      type: 'placement.recorded',
      version: 1,
      key: placement.id,
      producer: 'placement',
    });
    expect(Object.keys(event.data).sort()).toEqual(
      [
        'coachId',
        'employerId',
        'hoursPerWeek',
        'jobTitle',
        'participantId',
        'placementId',
        'programmeId',
        'startDate',
        'wage',
      ].sort(),
    );
    const got = await get(`/placements/${placement.id}`, coach);
    expect(got.status).toBe(200);
  });

  it('creates one placement for a double submission with the same Idempotency-Key', async () => {
    const key = uniqueName('form');
    const before = await stored();
    const [a, b] = await Promise.all([
      post(body(), { 'idempotency-key': key }),
      post(body(), { 'idempotency-key': key }),
    ]);
    const ids = await Promise.all(
      [a, b].map(async (r) => ((await r.json()) as { placement: { id: string } }).placement.id),
    );
    expect(ids[0]).toBe(ids[1]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(await stored()).toBe(before + 1);
    const reused = await post({ ...body(), hoursPerWeek: 10 }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
  });

  it("keeps each caller's Idempotency-Keys apart: another caller's same key never finds that placement", async () => {
    const key = uniqueName('form');
    const first = await post(body(), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const mine = ((await first.json()) as { placement: { id: string } }).placement.id;

    // Another coach, their own placement, the same key: a placement of their own, not a 409.
    const otherCoach = testCaller('coach');
    const theirs = await post(
      { ...body(), coachId: otherCoach.userId },
      { 'idempotency-key': key },
      otherCoach,
    );
    expect(theirs.status).toBe(201);
    const theirId = ((await theirs.json()) as { placement: { id: string } }).placement.id;
    expect(theirId).not.toBe(mine);

    // Even the very same body from someone else (an admin) is a new record, not a replay of mine.
    const again = await post(body(), { 'idempotency-key': key }, admin);
    expect(again.status).toBe(201);
    const adminId = ((await again.json()) as { placement: { id: string } }).placement.id;
    expect([mine, theirId]).not.toContain(adminId);

    // And the key still replays for its owner.
    const replay = await post(body(), { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { placement: { id: string } }).placement.id).toBe(mine);
  });

  it('answers 404 for a placement that does not exist and 400 for a malformed id', async () => {
    expect((await get('/placements/6f1c0d7e-1111-4a4a-8b8b-000000000000')).status).toBe(404);
    const bad = await get('/placements/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { problems: { path: string }[] } }).error.problems[0]?.path,
    ).toBe('params.placementId');
  });

  it('says it is alive and ready', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { mongo: 'ok', kafka: 'ok' } });
  });
});
