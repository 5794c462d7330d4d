import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import mongoose from 'mongoose';
import { verifyAuditCollection } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import {
  bearerFor,
  dropDatabases,
  serviceTestEnv,
  testCaller,
  testKafka,
  uniqueName,
  waitFor,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { PARTICIPANT_CODE } from '../src/domain/participant-code';
import { startPlacementService } from '../src/main';

const programmeId = randomUUID();
const coach = testCaller('coach', { programmeIds: [programmeId] });
const manager = testCaller('programme-manager', { programmeIds: [programmeId] });
const admin = testCaller('admin');

/** Names and contact details that must never reach an event or an audit record. */
const person = (n: number) => ({
  fullName: `Aisha Participant-${n}`,
  phone: `+968 9${String(1000000 + n).slice(-7)}`,
  email: `aisha.${n}@example.org`,
});

let serial = 0;
const registration = (over: Record<string, unknown> = {}) => ({
  ...person(++serial),
  preferredLanguage: 'ar',
  disabilityCategory: 'visual',
  accommodationNeeds: 'Screen reader and a quiet desk',
  programmeId,
  coachId: coach.userId,
  consents: { followUp: true, employerContact: true, reportingByCategory: true },
  ...over,
});

interface Published {
  key: string | null;
  event: { eventId: string; type: string; data: Record<string, unknown> };
}
interface ParticipantBody {
  id: string;
  code: string;
  status: string;
  version: number;
  fullName?: string;
  disabilityCategory?: string;
  consents?: Record<string, { granted: boolean; changedBy: string; changedAt: string }>;
}

describe('participants on the real servers', () => {
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
      as = coach,
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
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const register = async (over: Record<string, unknown> = {}, as: Caller = coach) => {
    const res = await call('POST', '/participants', { as, body: registration(over) });
    expect(res.status).toBe(201);
    return res.body.participant as ParticipantBody;
  };
  const recordPlacement = async (participantId: string) => {
    const res = await call('POST', '/placements', {
      body: {
        participantId,
        employerId: randomUUID(),
        programmeId,
        coachId: coach.userId,
        jobTitle: 'Archive clerk',
        startDate: '2026-10-01',
        hoursPerWeek: 25,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      },
    });
    expect(res.status).toBe(201);
    return res.body.placement.id as string;
  };
  const participantsStored = () => db.collection('participants').countDocuments();
  const auditCount = () => db.collection('audit_log').countDocuments();
  const rawParticipant = (id: string) =>
    db.collection('participants').findOne({ _id: id as never });
  const auditAbout = async (id: string) =>
    (await call('GET', `/audit?subjectId=${id}&limit=1000`, { as: admin })).body.entries as {
      action: string;
      purpose: string;
      actor: { userId: string; role: string };
      subject: { type: string; id: string };
    }[];
  /** Waits until the reader has every message now on the topic: what it shows then is final. */
  const readAll = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const total = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
      await waitFor(() => published.length >= total, { what: `${total} messages read` });
    } finally {
      await admin.disconnect();
    }
  };
  const eventsOf = (type: string, keys: string[]) =>
    published.filter((m) => m.event.type === type && keys.includes(m.key ?? ''));

  describe('POST /participants', () => {
    it.each([
      ['a missing name', registration({ fullName: undefined }), ['fullName']],
      ['an empty name', registration({ fullName: '  ' }), ['fullName']],
      ['a phone that is not international', registration({ phone: '91234567' }), ['phone']],
      ['a bad email', registration({ email: 'aisha@' }), ['email']],
      ['an unknown language', registration({ preferredLanguage: 'fr' }), ['preferredLanguage']],
      [
        'an unknown category',
        registration({ disabilityCategory: 'blind' }),
        ['disabilityCategory'],
      ],
      [
        'a category without the reporting consent',
        registration({
          consents: { followUp: true, employerContact: true, reportingByCategory: false },
        }),
        ['disabilityCategory'],
      ],
      [
        'accommodation needs too long',
        registration({ accommodationNeeds: 'x'.repeat(1001) }),
        ['accommodationNeeds'],
      ],
      [
        'a consent missing',
        registration({ consents: { followUp: true, employerContact: true } }),
        ['consents.reportingByCategory'],
      ],
      [
        'a consent not a boolean',
        registration({
          consents: { followUp: 'yes', employerContact: true, reportingByCategory: true },
        }),
        ['consents.followUp'],
      ],
      ['a malformed programme', registration({ programmeId: 'p1' }), ['programmeId']],
      ['an unknown field', registration({ nationalId: '123' }), ['nationalId']],
    ])(
      'answers 400 naming the field for %s, and stores and audits nothing',
      async (_case, body, paths) => {
        const [participants, audits] = [await participantsStored(), await auditCount()];
        const res = await call('POST', '/participants', { body });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.problems.map((p: { path: string }) => p.path).sort()).toEqual(paths);
        expect(await participantsStored()).toBe(participants);
        expect(await auditCount()).toBe(audits);
      },
    );

    it.each([
      ['x-access-purpose', 'curiosity', 'headers.x-access-purpose'],
      ['idempotency-key', 'short', 'headers.idempotency-key'],
    ])(
      'answers 400 naming the header for a bad %s, storing nothing',
      async (header, value, path) => {
        const before = await participantsStored();
        const res = await call('POST', '/participants', {
          body: registration(),
          headers: { [header]: value },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([path]);
        expect(await participantsStored()).toBe(before);
      },
    );

    it('registers a participant with a pseudonymous code, consents stamped, audited as create', async () => {
      const body = registration({ phone: '+968 9123-4567' });
      const res = await call('POST', '/participants', { body });
      expect(res.status).toBe(201);
      const created = res.body.participant as ParticipantBody & { phone: string };
      expect(res.headers.get('location')).toBe(`/participants/${created.id}`);
      expect(created.code).toMatch(PARTICIPANT_CODE);
      expect(created).toMatchObject({ status: 'active', version: 1, phone: '+96891234567' });
      expect(created.consents?.followUp).toEqual({
        granted: true,
        changedBy: coach.userId,
        changedAt: expect.any(String),
      });
      expect(await auditAbout(created.id)).toEqual([
        expect.objectContaining({
          action: 'create',
          purpose: 'follow-up',
          actor: { userId: coach.userId, role: 'coach' },
          subject: { type: 'participant', id: created.id },
        }),
      ]);
    });

    it('registers one participant for a double submission with the same Idempotency-Key', async () => {
      const key = uniqueName('form');
      const body = registration();
      const before = await participantsStored();
      const [a, b] = await Promise.all([
        call('POST', '/participants', { body, headers: { 'idempotency-key': key } }),
        call('POST', '/participants', { body, headers: { 'idempotency-key': key } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.participant.id).toBe(b.body.participant.id);
      expect(a.body.participant.code).toBe(b.body.participant.code);
      expect(await participantsStored()).toBe(before + 1);
      const other = await call('POST', '/participants', {
        body: { ...body, fullName: 'Someone Else' },
        headers: { 'idempotency-key': key },
      });
      expect(other.status).toBe(409);
    });

    it('refuses a coach registering for another coach, and a manager outside their programmes', async () => {
      expect(
        (await call('POST', '/participants', { body: registration({ coachId: randomUUID() }) }))
          .status,
      ).toBe(403);
      const elsewhere = testCaller('programme-manager');
      expect(
        (await call('POST', '/participants', { as: elsewhere, body: registration() })).status,
      ).toBe(403);
    });
  });

  describe('reading', () => {
    it('gives the whole record to its coach, audited as a read with the purpose given', async () => {
      const p = await register();
      const res = await call('GET', `/participants/${p.id}`, {
        headers: { 'x-access-purpose': 'support' },
      });
      expect(res.status).toBe(200);
      expect(res.body.participant).toMatchObject({
        id: p.id,
        fullName: p.fullName,
        disabilityCategory: 'visual',
        accommodationNeeds: 'Screen reader and a quiet desk',
        consents: p.consents,
      });
      const byAdmin = await call('GET', `/participants/${p.id}`, { as: admin });
      expect(byAdmin.status).toBe(200);
      const reads = (await auditAbout(p.id)).filter((e) => e.action === 'read');
      expect(reads.map((e) => [e.actor.role, e.purpose])).toEqual([
        ['coach', 'support'],
        ['admin', 'administration'],
      ]);
    });

    it('answers 404 to another coach and to an employer user, and audits nothing for them', async () => {
      const p = await register();
      const before = (await auditAbout(p.id)).length;
      for (const as of [testCaller('coach'), testCaller('employer-user')]) {
        const res = await call('GET', `/participants/${p.id}`, { as });
        expect(res.status).toBe(404);
      }
      expect((await auditAbout(p.id)).length).toBe(before);
    });

    it('lists ids, codes and status only, never a name', async () => {
      const p = await register();
      const res = await call('GET', '/participants?limit=100');
      expect(res.status).toBe(200);
      const mine = (res.body.participants as Record<string, unknown>[]).find((x) => x.id === p.id);
      expect(mine).toEqual({
        id: p.id,
        code: p.code,
        programmeId,
        coachId: coach.userId,
        status: 'active',
      });
      expect(JSON.stringify(res.body)).not.toContain('Aisha');
      const bad = await call('GET', '/participants?limit=0&name=x');
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((x: { path: string }) => x.path).sort()).toEqual([
        'query.limit',
        'query.name',
      ]);
    });

    it('audits GET /placements/:id as a read of the placement', async () => {
      const p = await register();
      const placementId = await recordPlacement(p.id);
      expect((await call('GET', `/placements/${placementId}`)).status).toBe(200);
      expect(await auditAbout(placementId)).toEqual([
        expect.objectContaining({
          action: 'read',
          subject: { type: 'placement', id: placementId },
        }),
      ]);
      const bad = await call('GET', `/placements/${placementId}`, {
        headers: { 'x-access-purpose': 'gossip' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems[0].path).toBe('headers.x-access-purpose');
      expect(await auditAbout(placementId)).toHaveLength(1);
    });
  });

  describe('consents', () => {
    it.each([
      ['an empty body', {}, ['(body)']],
      ['a consent not a boolean', { followUp: 'no' }, ['followUp']],
      ['an unknown consent', { marketing: false }, ['marketing']],
    ])('answers 400 naming the field for %s, changing nothing', async (_case, body, paths) => {
      const p = await register();
      const res = await call('PUT', `/participants/${p.id}/consents`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.problems.map((x: { path: string }) => x.path)).toEqual(paths);
      expect((await rawParticipant(p.id))?.version).toBe(1);
    });

    it('puts placement.recorded out with the consents of a participant it holds, and none for an unknown one', async () => {
      const p = await register({
        consents: { followUp: false, employerContact: true, reportingByCategory: true },
      });
      const known = await recordPlacement(p.id);
      const unknown = await recordPlacement(randomUUID());
      await waitFor(() => eventsOf('placement.recorded', [known, unknown]).length === 2, {
        what: 'both placement.recorded events',
      });
      const [k] = eventsOf('placement.recorded', [known]);
      const [u] = eventsOf('placement.recorded', [unknown]);
      expect(k?.event.data.consents).toEqual({
        followUp: false,
        employerContact: true,
        reportingByCategory: true,
      });
      expect(u?.event.data).not.toHaveProperty('consents');
    });

    it('withdraws reportingByCategory with the category, and tells each running placement once', async () => {
      const p = await register();
      const running = [await recordPlacement(p.id), await recordPlacement(p.id)];
      // A placement that ended is not told (no route ends one yet: stored as the service would).
      const ended = randomUUID();
      await db.collection('placements').insertOne({
        ...(await db
          .collection('placements')
          .findOne({ _id: running[0] as never }, { projection: { _id: 0 } })),
        _id: ended as never,
        status: 'ended',
        outbox: [],
      });

      const res = await call('PUT', `/participants/${p.id}/consents`, {
        as: manager,
        body: { reportingByCategory: false, followUp: true },
      });
      expect(res.status).toBe(200);
      const changed = res.body.participant as ParticipantBody;
      expect(changed.version).toBe(2);
      expect(changed).not.toHaveProperty('disabilityCategory');
      expect(changed.consents?.reportingByCategory).toMatchObject({
        granted: false,
        changedBy: manager.userId,
      });
      expect(changed.consents?.followUp).toEqual(p.consents?.followUp);
      expect(await rawParticipant(p.id)).not.toHaveProperty('disabilityCategory');

      await waitFor(() => eventsOf('placement.consent-changed', [...running, ended]).length >= 2, {
        what: 'placement.consent-changed for both running placements',
      });
      // Nothing more comes: every outbox is empty, and then the topic has had time to show extras.
      await waitFor(
        async () =>
          (await db
            .collection('participants')
            .countDocuments({ 'outbox.0': { $exists: true } })) === 0 &&
          (await db.collection('placements').countDocuments({ 'outbox.0': { $exists: true } })) ===
            0,
        { what: 'every outbox to be empty' },
      );
      await readAll();
      const told = eventsOf('placement.consent-changed', [...running, ended]);
      expect(told.map((m) => m.key).sort()).toEqual([...running].sort());
      for (const m of told) {
        expect(m.event.data).toEqual({
          placementId: m.key,
          participantId: p.id,
          consents: { followUp: true, employerContact: true, reportingByCategory: false },
          changedAt: changed.consents?.reportingByCategory?.changedAt,
        });
      }
      expect(JSON.stringify(told)).not.toContain('Aisha');

      // The same consents again change nothing and tell no one.
      const again = await call('PUT', `/participants/${p.id}/consents`, {
        body: { reportingByCategory: false },
      });
      expect(again.body.participant.version).toBe(2);
      expect((await auditAbout(p.id)).map((e) => e.action)).toEqual([
        'create',
        'consent-change',
        'consent-change',
      ]);
    });
  });

  describe('data-subject access and erasure', () => {
    it('exports everything held about the participant as an attachment, and audits it', async () => {
      const p = await register();
      const placementId = await recordPlacement(p.id);
      await call('GET', `/placements/${placementId}`);
      await call('GET', `/participants/${p.id}`);
      expect((await call('GET', `/participants/${p.id}/export`)).status).toBe(403);

      const res = await call('GET', `/participants/${p.id}/export`, {
        as: manager,
        headers: { 'x-access-purpose': 'data-subject-request' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename=participant-${p.id}.json`,
      );
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.participant).toMatchObject({ id: p.id, fullName: p.fullName, code: p.code });
      expect(res.body.placements.map((x: { id: string }) => x.id)).toEqual([placementId]);
      expect(
        res.body.audit.map((e: { action: string; subject: { type: string } }) => [
          e.action,
          e.subject.type,
        ]),
      ).toEqual([
        ['create', 'participant'],
        ['read', 'placement'],
        ['read', 'participant'],
        ['export', 'participant'],
      ]);
      expect(res.body.audit.at(-1)).toMatchObject({
        purpose: 'data-subject-request',
        actor: { userId: manager.userId, role: 'programme-manager' },
      });
    });

    it('pseudonymises: personal fields gone from the database, code and placements kept; again is a no-op', async () => {
      const p = await register();
      const placementId = await recordPlacement(p.id);
      expect(
        (await call('POST', `/participants/${p.id}/erasure`, { body: { mode: 'pseudonymise' } }))
          .status,
      ).toBe(403);
      const res = await call('POST', `/participants/${p.id}/erasure`, {
        as: manager,
        body: { mode: 'pseudonymise' },
      });
      expect(res.status).toBe(200);
      const stored = await rawParticipant(p.id);
      for (const field of [
        'fullName',
        'phone',
        'email',
        'disabilityCategory',
        'accommodationNeeds',
      ]) {
        expect([field, stored]).toEqual([
          field,
          expect.not.objectContaining({ [field]: expect.anything() }),
        ]);
      }
      expect(stored).toMatchObject({
        code: p.code,
        status: 'pseudonymised',
        programmeId,
        version: 2,
      });
      expect(stored?.consents).toBeDefined();
      expect(await db.collection('placements').countDocuments({ participantId: p.id })).toBe(1);
      expect((await call('GET', `/placements/${placementId}`)).status).toBe(200);

      const again = await call('POST', `/participants/${p.id}/erasure`, {
        as: manager,
        body: { mode: 'pseudonymise' },
      });
      expect(again.status).toBe(200);
      expect(again.body.participant.version).toBe(2);
    });

    it('erases: a tombstone with a new code, consents withdrawn everywhere, placements kept; again is a no-op', async () => {
      const p = await register();
      const placementId = await recordPlacement(p.id);
      const res = await call('POST', `/participants/${p.id}/erasure`, {
        as: admin,
        body: { mode: 'erase' },
      });
      expect(res.status).toBe(200);
      const stored = await waitFor(async () => {
        const doc = await rawParticipant(p.id);
        return doc && doc.outbox.length === 0 ? doc : undefined;
      });
      expect(Object.keys(stored).sort()).toEqual(
        ['_id', 'code', 'coachId', 'erasedAt', 'outbox', 'programmeId', 'status', 'version'].sort(),
      );
      expect(stored.status).toBe('erased');
      expect(stored.code).toMatch(PARTICIPANT_CODE);
      expect(stored.code).not.toBe(p.code);
      const placement = await db.collection('placements').findOne({ _id: placementId as never });
      expect(placement).toMatchObject({
        participantId: p.id,
        terms: { jobTitle: 'Archive clerk' },
      });

      await waitFor(() => eventsOf('placement.consent-changed', [placementId]).length === 1, {
        what: 'the erasure told to the placement',
      });
      expect(eventsOf('placement.consent-changed', [placementId])[0]?.event.data.consents).toEqual({
        followUp: false,
        employerContact: false,
        reportingByCategory: false,
      });

      const again = await call('POST', `/participants/${p.id}/erasure`, {
        as: admin,
        body: { mode: 'erase' },
      });
      expect(again.status).toBe(200);
      expect(again.body.participant).toEqual({
        id: p.id,
        code: stored.code,
        status: 'erased',
        programmeId,
        coachId: coach.userId,
        version: 2,
        erasedAt: expect.any(String),
      });
      expect(
        (await call('PUT', `/participants/${p.id}/consents`, { body: { followUp: true } })).status,
      ).toBe(409);
      expect((await call('GET', `/participants/${p.id}`)).body.participant.status).toBe('erased');
    });

    it.each([
      ['an unknown mode', { mode: 'shred' }, ['mode']],
      ['a reason in words', { mode: 'erase', reason: 'asked by phone' }, ['reason']],
      ['no mode', {}, ['mode']],
    ])('answers 400 naming the field for %s, erasing nothing', async (_case, body, paths) => {
      const p = await register();
      const res = await call('POST', `/participants/${p.id}/erasure`, { as: admin, body });
      expect(res.status).toBe(400);
      expect(res.body.error.problems.map((x: { path: string }) => x.path)).toEqual(paths);
      expect((await rawParticipant(p.id))?.fullName).toBe(p.fullName);
    });
  });

  describe('the audit log', () => {
    it('answers 503 and changes nothing when the audit record cannot be written', async () => {
      const p = await register();
      const log = db.collection<{ _id: number }>('audit_log');
      const [last] = await log.find({}).sort({ _id: -1 }).limit(1).toArray();
      // Another writer took the next seq with something that is not an audit record.
      const next = (last?._id ?? 0) + 1;
      await log.insertOne({ _id: next, junk: true } as never);
      try {
        const change = await call('PUT', `/participants/${p.id}/consents`, {
          body: { followUp: false },
        });
        expect(change.status).toBe(503);
        expect((await rawParticipant(p.id))?.version).toBe(1);
        expect((await call('GET', `/participants/${p.id}`)).status).toBe(503);
      } finally {
        await log.deleteOne({ _id: next });
      }
      expect((await call('GET', `/participants/${p.id}`)).status).toBe(200);
    });

    it('holds no name, phone or email anywhere, and its chain is intact', async () => {
      const stored = JSON.stringify(await db.collection('audit_log').find({}).toArray());
      expect(stored).not.toMatch(/Aisha|Participant-|example\.org|\+968|visual|Screen reader/);
      // Every phone number registered here, digits only (long enough never to be part of a hash).
      for (let n = 1; n <= serial; n++) {
        expect(stored).not.toContain(person(n).phone.replace(/\D/g, ''));
      }
      expect(stored).not.toContain('96891234567');
      const verify = await call('GET', '/audit/verify', { as: admin });
      expect(verify.body).toMatchObject({ ok: true, checked: await auditCount() });
      expect(await verifyAuditCollection(db)).toMatchObject({ ok: true });

      const exported = await fetch(`${url}/audit/export`, {
        headers: { authorization: await bearerFor(admin, 'placement') },
      });
      expect(exported.headers.get('content-disposition')).toMatch(/^attachment/);
      const all = (await exported.json()) as { seq: number }[];
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all).toHaveLength(await auditCount());
    });
  });
});
