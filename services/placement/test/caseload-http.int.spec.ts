import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import mongoose from 'mongoose';
import { createAuditLog } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import { createWriteLocks } from '@sanad/messaging';
import {
  bearerFor,
  dropDatabases,
  serviceTestEnv,
  testCaller,
  testKafka,
  uniqueName,
  waitFor,
} from '@sanad/testing';
import { makeReassignCoach } from '../src/application/reassign-coach';
import { loadConfig } from '../src/config';
import { startPlacementService } from '../src/main';
import { createAuditTrail } from '../src/persistence/audit-trail';
import { createParticipantRepository } from '../src/persistence/participant.repository';
import { createPlacementRepository } from '../src/persistence/placement.repository';

const programmeId = randomUUID();
const coachA = testCaller('coach', { programmeIds: [programmeId] });
const coachB = testCaller('coach', { programmeIds: [programmeId] });
const manager = testCaller('programme-manager', { programmeIds: [programmeId] });
const admin = testCaller('admin');

interface Published {
  key: string | null;
  event: {
    eventId: string;
    type: string;
    correlationId: string;
    data: Record<string, unknown>;
  };
}

/**
 * Caseloads on the real servers: an admin or a manager moves a participant, with their placements
 * that have not ended, to another coach; each placement tells it once (placement.changed, coachId),
 * and from then on the old coach no longer sees them and the new one does.
 */
describe('moving a participant to another coach, on the real servers', () => {
  const env = serviceTestEnv('placement');
  const topic = env.KAFKA_TOPIC_PREFIX + Topics.placement;
  let service: Awaited<ReturnType<typeof startPlacementService>>;
  let url: string;
  let db: mongoose.Connection;
  let reader: Consumer;
  const published: Published[] = [];

  beforeAll(async () => {
    service = await startPlacementService(loadConfig(env));
    url = `http://127.0.0.1:${service.port}`;
    db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    reader = testKafka().consumer({ groupId: uniqueName('reader'), sessionTimeout: 10_000 });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        published.push({
          key: message.key?.toString() ?? null,
          event: JSON.parse(message.value?.toString() ?? '{}'),
        });
      },
    });
  });
  afterAll(async () => {
    await reader.disconnect();
    await service.stop();
    await db.close();
    await dropDatabases([env.MONGO_DB]);
  });

  const call = async (
    method: string,
    path: string,
    {
      as = coachA,
      body,
      headers = {},
    }: { as?: Caller; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: await bearerFor(as, 'placement'),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const register = async (coach: Caller = coachA) => {
    const res = await call('POST', '/participants', {
      as: coach,
      body: {
        fullName: 'Aisha Caseload',
        phone: '+96891234567',
        preferredLanguage: 'ar',
        programmeId,
        coachId: coach.userId,
        consents: { followUp: true, employerContact: true, reportingByCategory: false },
      },
    });
    expect(res.status).toBe(201);
    return res.body.participant as { id: string; code: string; version: number };
  };
  const recordPlacement = async (participantId: string) => {
    const res = await call('POST', '/placements', {
      body: {
        participantId,
        employerId: randomUUID(),
        programmeId,
        coachId: coachA.userId,
        jobTitle: 'Archive clerk',
        startDate: '2026-10-01',
        hoursPerWeek: 25,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      },
    });
    expect(res.status).toBe(201);
    return res.body.placement.id as string;
  };
  const rawParticipant = (id: string) =>
    db.collection('participants').findOne({ _id: id as never });
  const rawPlacement = (id: string) => db.collection('placements').findOne({ _id: id as never });
  const auditAbout = async (id: string) =>
    (await call('GET', `/audit?subjectId=${id}&limit=1000`, { as: admin })).body.entries as {
      action: string;
      purpose: string;
      actor: { userId: string; role: string };
    }[];
  const outboxesEmpty = () =>
    waitFor(
      async () =>
        (await db.collection('participants').countDocuments({ 'outbox.0': { $exists: true } })) ===
          0 &&
        (await db.collection('placements').countDocuments({ 'outbox.0': { $exists: true } })) === 0,
      { what: 'every outbox to be empty' },
    );
  /** Waits until the reader has every message now on the topic: what it shows then is final. */
  const readAll = async () => {
    const kafkaAdmin = testKafka().admin();
    await kafkaAdmin.connect();
    try {
      const total = (await kafkaAdmin.fetchTopicOffsets(topic)).reduce(
        (n, o) => n + Number(o.high),
        0,
      );
      await waitFor(() => published.length >= total, { what: `${total} messages read` });
    } finally {
      await kafkaAdmin.disconnect();
    }
  };
  const coachChanges = (keys: string[]) =>
    published.filter((m) => m.event.type === 'placement.changed' && keys.includes(m.key ?? ''));
  /** Records an ended placement as the service would store one (no route ends one yet). */
  const endedPlacementLike = async (placementId: string) => {
    const ended = randomUUID();
    await db.collection('placements').insertOne({
      ...(await db
        .collection('placements')
        .findOne({ _id: placementId as never }, { projection: { _id: 0 } })),
      _id: ended as never,
      status: 'ended',
      outbox: [],
    });
    return ended;
  };
  const sees = async (as: Caller, participantId: string, placementIds: string[]) => {
    const statuses = [
      (await call('GET', `/participants/${participantId}`, { as })).status,
      ...(
        await Promise.all(placementIds.map((id) => call('GET', `/placements/${id}`, { as })))
      ).map((r) => r.status),
    ];
    const participants = (await call('GET', '/participants?limit=100', { as })).body
      .participants as { id: string }[];
    const placements = (await call('GET', '/placements?limit=100', { as })).body.placements as {
      id: string;
    }[];
    return {
      statuses,
      listed: [
        participants.some((p) => p.id === participantId),
        ...placementIds.map((id) => placements.some((p) => p.id === id)),
      ],
    };
  };

  describe('PUT /participants/:participantId/coach', () => {
    const to = coachB.userId;
    it.each([
      ['no coach', {}, ['coachId']],
      ['a coach that is not an id', { coachId: 'Coach Salim' }, ['coachId']],
      [
        'a version that is not a whole number',
        { coachId: to, expectedVersion: 1.5 },
        ['expectedVersion'],
      ],
      ['a version in a string', { coachId: to, expectedVersion: '1' }, ['expectedVersion']],
      ['a version below 1', { coachId: to, expectedVersion: 0 }, ['expectedVersion']],
      ['an unknown field', { coachId: to, coachName: 'Salim' }, ['coachName']],
      ['a body that is not an object', [to], ['(body)']],
    ])(
      'answers 400 naming the field for %s, and stores, records and sends nothing',
      async (_case, body, paths) => {
        const p = await register();
        const placementId = await recordPlacement(p.id);
        const audited = (await auditAbout(p.id)).length;
        const res = await call('PUT', `/participants/${p.id}/coach`, { as: manager, body });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.problems.map((x: { path: string }) => x.path)).toEqual(paths);
        expect(await rawParticipant(p.id)).toMatchObject({
          coachId: coachA.userId,
          version: 1,
          outbox: [],
        });
        expect(await rawPlacement(placementId)).toMatchObject({
          coachId: coachA.userId,
          version: 1,
        });
        expect((await auditAbout(p.id)).length).toBe(audited);
      },
    );

    it('answers 400 naming the participant id when it is not one', async () => {
      const res = await call('PUT', '/participants/not-an-id/coach', {
        as: admin,
        body: { coachId: coachB.userId },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.problems.map((x: { path: string }) => x.path)).toEqual([
        'params.participantId',
      ]);
    });

    it('moves the participant and each running placement, telling each placement once, keyed by it', async () => {
      const p = await register();
      const running = [await recordPlacement(p.id), await recordPlacement(p.id)];
      const ended = await endedPlacementLike(running[0] as string);
      await outboxesEmpty();
      expect(await sees(coachA, p.id, running)).toEqual({
        statuses: [200, 200, 200],
        listed: [true, true, true],
      });

      const res = await call('PUT', `/participants/${p.id}/coach`, {
        as: manager,
        body: { coachId: coachB.userId, expectedVersion: 1 },
        headers: { 'x-access-purpose': 'support', 'x-correlation-id': 'caseload-move-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body.participant).toMatchObject({
        id: p.id,
        code: p.code,
        coachId: coachB.userId,
        version: 2,
        fullName: 'Aisha Caseload',
      });

      await outboxesEmpty();
      for (const id of running) {
        expect(await rawPlacement(id)).toMatchObject({ coachId: coachB.userId, version: 2 });
      }
      expect(await rawPlacement(ended)).toMatchObject({ coachId: coachA.userId, version: 1 });
      await readAll();
      const told = coachChanges([...running, ended]);
      expect(told.map((m) => m.key).sort()).toEqual([...running].sort());
      const today = new Date().toISOString().slice(0, 10);
      for (const m of told) {
        expect(m.event.data).toEqual({
          placementId: m.key,
          changes: [{ field: 'coachId', before: coachA.userId, after: coachB.userId }],
          effectiveDate: today,
        });
        expect(m.event.correlationId).toBe('caseload-move-1');
      }
      expect(JSON.stringify(told)).not.toMatch(/Aisha|\+968|P-/);
      expect((await auditAbout(p.id)).at(-1)).toMatchObject({
        action: 'update',
        purpose: 'support',
        actor: { userId: manager.userId, role: 'programme-manager' },
      });

      // The old coach no longer sees them; the new one does, the participant and the placements.
      expect(await sees(coachA, p.id, running)).toEqual({
        statuses: [404, 404, 404],
        listed: [false, false, false],
      });
      expect(await sees(coachB, p.id, running)).toEqual({
        statuses: [200, 200, 200],
        listed: [true, true, true],
      });
      const missing = await call('GET', `/participants/${randomUUID()}`, { as: admin });
      expect((await call('GET', `/participants/${p.id}`, { as: coachA })).body).toEqual(
        missing.body,
      );

      // The same coach again: nothing changes, nothing is told.
      const again = await call('PUT', `/participants/${p.id}/coach`, {
        as: admin,
        body: { coachId: coachB.userId },
      });
      expect(again.status).toBe(200);
      expect(again.body.participant.version).toBe(2);
      expect(await rawParticipant(p.id)).toMatchObject({ version: 2, outbox: [] });
      for (const id of running) expect((await rawPlacement(id))?.version).toBe(2);

      // A decision made on the version before the move: 409, nothing changes.
      const stale = await call('PUT', `/participants/${p.id}/coach`, {
        as: manager,
        body: { coachId: randomUUID(), expectedVersion: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('STALE_VERSION');
      expect(await rawParticipant(p.id)).toMatchObject({
        coachId: coachB.userId,
        version: 2,
        outbox: [],
      });
      for (const id of running) {
        expect(await rawPlacement(id)).toMatchObject({ coachId: coachB.userId, version: 2 });
      }
      await readAll();
      expect(coachChanges(running)).toHaveLength(2);
    });

    it('lets the coach see but not move their participant (403), and hides them from others (404)', async () => {
      const p = await register();
      const elsewhere = testCaller('programme-manager');
      const answers = await Promise.all(
        [coachA, coachB, testCaller('employer-user'), elsewhere].map(
          async (as) =>
            (
              await call('PUT', `/participants/${p.id}/coach`, {
                as,
                body: { coachId: coachB.userId },
              })
            ).status,
        ),
      );
      expect(answers).toEqual([403, 404, 404, 404]);
      expect(await rawParticipant(p.id)).toMatchObject({ coachId: coachA.userId, version: 1 });
      expect((await auditAbout(p.id)).map((e) => e.action)).toEqual(['create']);
    });
  });

  describe('GET /participants?coachId=', () => {
    it("lists one coach's caseload, still only within what the caller may see", async () => {
      const mineA = await register(coachA);
      const mineB = await register(coachB);
      const ids = async (as: Caller, coachId: string) => {
        const res = await call('GET', `/participants?limit=100&coachId=${coachId}`, { as });
        expect(res.status).toBe(200);
        return (res.body.participants as { id: string; coachId: string }[]).map((p) => {
          expect(p.coachId).toBe(coachId);
          return p.id;
        });
      };
      for (const as of [admin, manager]) {
        expect(await ids(as, coachA.userId)).toContain(mineA.id);
        expect(await ids(as, coachA.userId)).not.toContain(mineB.id);
        expect(await ids(as, coachB.userId)).toContain(mineB.id);
      }
      expect(await ids(coachA, coachA.userId)).toContain(mineA.id);
      expect(await ids(coachA, coachB.userId)).toEqual([]);
      expect(await ids(testCaller('programme-manager'), coachA.userId)).toEqual([]);

      const bad = await call('GET', '/participants?coachId=Salim', { as: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((x: { path: string }) => x.path)).toEqual([
        'query.coachId',
      ]);
    });
  });

  describe('killed between the participant write and moving the placements', () => {
    it('moves them and tells each placement once when the service starts again', async () => {
      const p = await register();
      const running = [await recordPlacement(p.id), await recordPlacement(p.id)];
      await outboxesEmpty();
      await service.stop();

      // The request's one write, as the service does it, and then nothing: the process is gone.
      const logger = createLogger({ service: 'test', level: 'silent' });
      const reassign = makeReassignCoach({
        participants: createParticipantRepository(db, createWriteLocks()),
        placements: createPlacementRepository(db),
        audit: createAuditTrail(createAuditLog(db, { service: 'placement' }), logger),
        clock: { now: () => new Date() },
        fanOut: { nudge: () => undefined },
      });
      await reassign({
        context: { caller: admin, purpose: 'administration', correlationId: 'crash-1' },
        participantId: p.id,
        coachId: coachB.userId,
      });
      expect((await rawParticipant(p.id))?.outbox).toHaveLength(2);
      for (const id of running) expect((await rawPlacement(id))?.coachId).toBe(coachA.userId);

      service = await startPlacementService(loadConfig(env));
      url = `http://127.0.0.1:${service.port}`;
      await waitFor(() => coachChanges(running).length >= 2, {
        what: 'placement.changed for both placements after the restart',
      });
      await outboxesEmpty();
      await readAll();
      expect(
        coachChanges(running)
          .map((m) => m.key)
          .sort(),
      ).toEqual([...running].sort());
      for (const id of running) {
        expect(await rawPlacement(id)).toMatchObject({ coachId: coachB.userId, version: 2 });
      }
      expect(await sees(coachB, p.id, running)).toEqual({
        statuses: [200, 200, 200],
        listed: [true, true, true],
      });
      expect((await sees(coachA, p.id, running)).statuses).toEqual([404, 404, 404]);
    });
  });
});
