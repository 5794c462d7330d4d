import { randomUUID } from 'node:crypto';
import { verifyAuditCollection } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import { testCaller, uniqueName, waitFor } from '@sanad/testing';
import { PARTICIPANT_CODE } from '../src/domain/participant-code';
import { startPlacement, type RunningPlacement } from './support/start-placement';

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
  let placement: RunningPlacement;
  beforeAll(async () => {
    placement = await startPlacement();
  });
  afterAll(() => placement.stop());

  const register = async (over: Record<string, unknown> = {}, as: Caller = coach) => {
    const res = await placement.api.post('/participants', as, registration(over));
    expect(res.status).toBe(201);
    return res.body.participant as ParticipantBody;
  };
  const recordPlacement = (participantId: string) =>
    placement.recordPlacement(coach, participantId);
  const participantsStored = () => placement.db.collection('participants').countDocuments();
  const auditCount = () => placement.db.collection('audit_log').countDocuments();
  const rawParticipant = (id: string) =>
    placement.db.collection('participants').findOne({ _id: id as never });

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
        const res = await placement.api.post('/participants', coach, body);
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
        const res = await placement.api.post('/participants', coach, registration(), {
          [header]: value,
        });
        expect(res.status).toBe(400);
        expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([path]);
        expect(await participantsStored()).toBe(before);
      },
    );

    it('registers a participant with a pseudonymous code, consents stamped, audited as create', async () => {
      const body = registration({ phone: '+968 9123-4567' });
      const res = await placement.api.post('/participants', coach, body);
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
      expect(await placement.auditAbout(created.id)).toEqual([
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
        placement.api.post('/participants', coach, body, { 'idempotency-key': key }),
        placement.api.post('/participants', coach, body, { 'idempotency-key': key }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.participant.id).toBe(b.body.participant.id);
      expect(a.body.participant.code).toBe(b.body.participant.code);
      expect(await participantsStored()).toBe(before + 1);
      const other = await placement.api.post(
        '/participants',
        coach,
        { ...body, fullName: 'Someone Else' },
        { 'idempotency-key': key },
      );
      expect(other.status).toBe(409);
    });

    it('refuses a coach registering for another coach, and a manager outside their programmes', async () => {
      expect(
        (await placement.api.post('/participants', coach, registration({ coachId: randomUUID() })))
          .status,
      ).toBe(403);
      const elsewhere = testCaller('programme-manager');
      expect((await placement.api.post('/participants', elsewhere, registration())).status).toBe(
        403,
      );
    });
  });

  describe('reading', () => {
    it('gives the whole record to its coach, audited as a read with the purpose given', async () => {
      const p = await register();
      const res = await placement.api.get(`/participants/${p.id}`, coach, {
        'x-access-purpose': 'support',
      });
      expect(res.status).toBe(200);
      expect(res.body.participant).toMatchObject({
        id: p.id,
        fullName: p.fullName,
        disabilityCategory: 'visual',
        accommodationNeeds: 'Screen reader and a quiet desk',
        consents: p.consents,
      });
      const byAdmin = await placement.api.get(`/participants/${p.id}`, admin);
      expect(byAdmin.status).toBe(200);
      const reads = (await placement.auditAbout(p.id)).filter((e) => e.action === 'read');
      expect(reads.map((e) => [e.actor.role, e.purpose])).toEqual([
        ['coach', 'support'],
        ['admin', 'administration'],
      ]);
    });

    it('answers 404 to another coach and to an employer user, and audits nothing for them', async () => {
      const p = await register();
      const before = (await placement.auditAbout(p.id)).length;
      for (const as of [testCaller('coach'), testCaller('employer-user')]) {
        const res = await placement.api.get(`/participants/${p.id}`, as);
        expect(res.status).toBe(404);
      }
      expect((await placement.auditAbout(p.id)).length).toBe(before);
    });

    it('lists ids, codes and status only, never a name', async () => {
      const p = await register();
      const res = await placement.api.get('/participants?limit=100', coach);
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
      const bad = await placement.api.get('/participants?limit=0&name=x', coach);
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((x: { path: string }) => x.path).sort()).toEqual([
        'query.limit',
        'query.name',
      ]);
    });

    it('audits GET /placements/:id as a read of the placement', async () => {
      const p = await register();
      const placementId = await recordPlacement(p.id);
      expect((await placement.api.get(`/placements/${placementId}`, coach)).status).toBe(200);
      expect(await placement.auditAbout(placementId)).toEqual([
        expect.objectContaining({
          action: 'read',
          subject: { type: 'placement', id: placementId },
        }),
      ]);
      const bad = await placement.api.get(`/placements/${placementId}`, coach, {
        'x-access-purpose': 'gossip',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems[0].path).toBe('headers.x-access-purpose');
      expect(await placement.auditAbout(placementId)).toHaveLength(1);
    });
  });

  describe('consents', () => {
    it.each([
      ['an empty body', {}, ['(body)']],
      ['a consent not a boolean', { followUp: 'no' }, ['followUp']],
      ['an unknown consent', { marketing: false }, ['marketing']],
    ])('answers 400 naming the field for %s, changing nothing', async (_case, body, paths) => {
      const p = await register();
      const res = await placement.api.put(`/participants/${p.id}/consents`, coach, body);
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
      await waitFor(() => placement.eventsOf('placement.recorded', [known, unknown]).length === 2, {
        what: 'both placement.recorded events',
      });
      const [k] = placement.eventsOf('placement.recorded', [known]);
      const [u] = placement.eventsOf('placement.recorded', [unknown]);
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
      const ended = await placement.endedCopyOf(running[0] as string);

      const res = await placement.api.put(`/participants/${p.id}/consents`, manager, {
        reportingByCategory: false,
        followUp: true,
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

      await waitFor(
        () => placement.eventsOf('placement.consent-changed', [...running, ended]).length >= 2,
        {
          what: 'placement.consent-changed for both running placements',
        },
      );
      // Nothing more comes: every outbox is empty, and then the topic has had time to show extras.
      await placement.outboxesEmpty();
      await placement.readAll();
      const told = placement.eventsOf('placement.consent-changed', [...running, ended]);
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
      const again = await placement.api.put(`/participants/${p.id}/consents`, coach, {
        reportingByCategory: false,
      });
      expect(again.body.participant.version).toBe(2);
      expect((await placement.auditAbout(p.id)).map((e) => e.action)).toEqual([
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
      await placement.api.get(`/placements/${placementId}`, coach);
      await placement.api.get(`/participants/${p.id}`, coach);
      expect((await placement.api.get(`/participants/${p.id}/export`, coach)).status).toBe(403);

      const res = await placement.api.get(`/participants/${p.id}/export`, manager, {
        'x-access-purpose': 'data-subject-request',
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
        (await placement.api.post(`/participants/${p.id}/erasure`, coach, { mode: 'pseudonymise' }))
          .status,
      ).toBe(403);
      const res = await placement.api.post(`/participants/${p.id}/erasure`, manager, {
        mode: 'pseudonymise',
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
      expect(
        await placement.db.collection('placements').countDocuments({ participantId: p.id }),
      ).toBe(1);
      expect((await placement.api.get(`/placements/${placementId}`, coach)).status).toBe(200);

      const again = await placement.api.post(`/participants/${p.id}/erasure`, manager, {
        mode: 'pseudonymise',
      });
      expect(again.status).toBe(200);
      expect(again.body.participant.version).toBe(2);
    });

    it('erases: a tombstone with a new code, consents withdrawn everywhere, placements kept; again is a no-op', async () => {
      const p = await register();
      const placementId = await recordPlacement(p.id);
      const res = await placement.api.post(`/participants/${p.id}/erasure`, admin, {
        mode: 'erase',
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
      const kept = await placement.db
        .collection('placements')
        .findOne({ _id: placementId as never });
      expect(kept).toMatchObject({
        participantId: p.id,
        terms: { jobTitle: 'Archive clerk' },
      });

      await waitFor(
        () => placement.eventsOf('placement.consent-changed', [placementId]).length === 1,
        {
          what: 'the erasure told to the placement',
        },
      );
      expect(
        placement.eventsOf('placement.consent-changed', [placementId])[0]?.event.data.consents,
      ).toEqual({
        followUp: false,
        employerContact: false,
        reportingByCategory: false,
      });

      const again = await placement.api.post(`/participants/${p.id}/erasure`, admin, {
        mode: 'erase',
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
        (await placement.api.put(`/participants/${p.id}/consents`, coach, { followUp: true }))
          .status,
      ).toBe(409);
      expect(
        (await placement.api.get(`/participants/${p.id}`, coach)).body.participant.status,
      ).toBe('erased');
    });

    it.each([
      ['an unknown mode', { mode: 'shred' }, ['mode']],
      ['a reason in words', { mode: 'erase', reason: 'asked by phone' }, ['reason']],
      ['no mode', {}, ['mode']],
    ])('answers 400 naming the field for %s, erasing nothing', async (_case, body, paths) => {
      const p = await register();
      const res = await placement.api.post(`/participants/${p.id}/erasure`, admin, body);
      expect(res.status).toBe(400);
      expect(res.body.error.problems.map((x: { path: string }) => x.path)).toEqual(paths);
      expect((await rawParticipant(p.id))?.fullName).toBe(p.fullName);
    });
  });

  describe('the audit log', () => {
    it('answers 503 and changes nothing when the audit record cannot be written', async () => {
      const p = await register();
      const log = placement.db.collection<{ _id: number }>('audit_log');
      const [last] = await log.find({}).sort({ _id: -1 }).limit(1).toArray();
      // Another writer took the next seq with something that is not an audit record.
      const next = (last?._id ?? 0) + 1;
      await log.insertOne({ _id: next, junk: true } as never);
      try {
        const change = await placement.api.put(`/participants/${p.id}/consents`, coach, {
          followUp: false,
        });
        expect(change.status).toBe(503);
        expect((await rawParticipant(p.id))?.version).toBe(1);
        expect((await placement.api.get(`/participants/${p.id}`, coach)).status).toBe(503);
      } finally {
        await log.deleteOne({ _id: next });
      }
      expect((await placement.api.get(`/participants/${p.id}`, coach)).status).toBe(200);
    });

    it('holds no name, phone or email anywhere, and its chain is intact', async () => {
      const stored = JSON.stringify(await placement.db.collection('audit_log').find({}).toArray());
      expect(stored).not.toMatch(/Aisha|Participant-|example\.org|\+968|visual|Screen reader/);
      // Every phone number registered here, digits only (long enough never to be part of a hash).
      for (let n = 1; n <= serial; n++) {
        expect(stored).not.toContain(person(n).phone.replace(/\D/g, ''));
      }
      expect(stored).not.toContain('96891234567');
      const verify = await placement.api.get('/audit/verify', admin);
      expect(verify.body).toMatchObject({ ok: true, checked: await auditCount() });
      expect(await verifyAuditCollection(placement.db)).toMatchObject({ ok: true });

      const exported = await placement.api.get('/audit/export', admin);
      expect(exported.headers.get('content-disposition')).toMatch(/^attachment/);
      const all = exported.body as { seq: number }[];
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all).toHaveLength(await auditCount());
    });
  });
});
