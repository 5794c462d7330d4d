import { randomUUID } from 'node:crypto';
import { createAuditLog } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import { createLogger } from '@sanad/logger';
import { createWriteLocks } from '@sanad/messaging';
import { testCaller, waitFor } from '@sanad/testing';
import { makeReassignCoach } from '../src/application/reassign-coach';
import { createAuditTrail } from '../src/persistence/audit-trail';
import { createParticipantRepository } from '../src/persistence/participant.repository';
import { createPlacementRepository } from '../src/persistence/placement.repository';
import { startPlacement, type RunningPlacement } from './support/start-placement';

const programmeId = randomUUID();
const coachA = testCaller('coach', { programmeIds: [programmeId] });
const coachB = testCaller('coach', { programmeIds: [programmeId] });
const manager = testCaller('programme-manager', { programmeIds: [programmeId] });
const admin = testCaller('admin');

/**
 * Caseloads on the real servers: an admin or a manager moves a participant, with their placements
 * that have not ended, to another coach; each placement tells it once (placement.changed, coachId),
 * and from then on the old coach no longer sees them and the new one does.
 */
describe('moving a participant to another coach, on the real servers', () => {
  let placement: RunningPlacement;
  beforeAll(async () => {
    placement = await startPlacement();
  });
  afterAll(() => placement.stop());

  const register = async (coach: Caller = coachA) => {
    const res = await placement.api.post('/participants', coach, {
      fullName: 'Aisha Caseload',
      phone: '+96891234567',
      preferredLanguage: 'ar',
      programmeId,
      coachId: coach.userId,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(res.status).toBe(201);
    return res.body.participant as { id: string; code: string; version: number };
  };
  const recordPlacement = (participantId: string) =>
    placement.recordPlacement(coachA, participantId);
  const rawParticipant = (id: string) =>
    placement.db.collection('participants').findOne({ _id: id as never });
  const rawPlacement = (id: string) =>
    placement.db.collection('placements').findOne({ _id: id as never });
  const coachChanges = (keys: string[]) => placement.eventsOf('placement.changed', keys);
  const sees = async (as: Caller, participantId: string, placementIds: string[]) => {
    const { api } = placement;
    const statuses = [
      (await api.get(`/participants/${participantId}`, as)).status,
      ...(await Promise.all(placementIds.map((id) => api.get(`/placements/${id}`, as)))).map(
        (r) => r.status,
      ),
    ];
    const participants = (await api.get('/participants?limit=100', as)).body.participants as {
      id: string;
    }[];
    const placements = (await api.get('/placements?limit=100', as)).body.placements as {
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
        const audited = (await placement.auditAbout(p.id)).length;
        const res = await placement.api.put(`/participants/${p.id}/coach`, manager, body);
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
        expect((await placement.auditAbout(p.id)).length).toBe(audited);
      },
    );

    it('answers 400 naming the participant id when it is not one', async () => {
      const res = await placement.api.put('/participants/not-an-id/coach', admin, {
        coachId: coachB.userId,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.problems.map((x: { path: string }) => x.path)).toEqual([
        'params.participantId',
      ]);
    });

    it('moves the participant and each running placement, telling each placement once, keyed by it', async () => {
      const { api, outboxesEmpty, readAll } = placement;
      const p = await register();
      const running = [await recordPlacement(p.id), await recordPlacement(p.id)];
      const ended = await placement.endedCopyOf(running[0] as string);
      await outboxesEmpty();
      expect(await sees(coachA, p.id, running)).toEqual({
        statuses: [200, 200, 200],
        listed: [true, true, true],
      });

      const res = await api.put(
        `/participants/${p.id}/coach`,
        manager,
        { coachId: coachB.userId, expectedVersion: 1 },
        { 'x-access-purpose': 'support', 'x-correlation-id': 'caseload-move-1' },
      );
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
      expect((await placement.auditAbout(p.id)).at(-1)).toMatchObject({
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
      const missing = await api.get(`/participants/${randomUUID()}`, admin);
      expect((await api.get(`/participants/${p.id}`, coachA)).body).toEqual(missing.body);

      // The same coach again: nothing changes, nothing is told.
      const again = await api.put(`/participants/${p.id}/coach`, admin, {
        coachId: coachB.userId,
      });
      expect(again.status).toBe(200);
      expect(again.body.participant.version).toBe(2);
      expect(await rawParticipant(p.id)).toMatchObject({ version: 2, outbox: [] });
      for (const id of running) expect((await rawPlacement(id))?.version).toBe(2);

      // A decision made on the version before the move: 409, nothing changes.
      const stale = await api.put(`/participants/${p.id}/coach`, manager, {
        coachId: randomUUID(),
        expectedVersion: 1,
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
            (await placement.api.put(`/participants/${p.id}/coach`, as, { coachId: coachB.userId }))
              .status,
        ),
      );
      expect(answers).toEqual([403, 404, 404, 404]);
      expect(await rawParticipant(p.id)).toMatchObject({ coachId: coachA.userId, version: 1 });
      expect((await placement.auditAbout(p.id)).map((e) => e.action)).toEqual(['create']);
    });
  });

  describe('GET /participants?coachId=', () => {
    it("lists one coach's caseload, still only within what the caller may see", async () => {
      const mineA = await register(coachA);
      const mineB = await register(coachB);
      const ids = async (as: Caller, coachId: string) => {
        const res = await placement.api.get(`/participants?limit=100&coachId=${coachId}`, as);
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

      const bad = await placement.api.get('/participants?coachId=Salim', admin);
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((x: { path: string }) => x.path)).toEqual([
        'query.coachId',
      ]);
    });
  });

  describe('killed between the participant write and moving the placements', () => {
    it('moves them and tells each placement once when the service starts again', async () => {
      const { db, outboxesEmpty } = placement;
      const p = await register();
      const running = [await recordPlacement(p.id), await recordPlacement(p.id)];
      await outboxesEmpty();
      await placement.kill();

      // The request's one write, as the service does it, and then nothing: the process is gone.
      const logger = createLogger({ service: 'test', level: 'silent' });
      const reassign = makeReassignCoach({
        participants: createParticipantRepository(db, createWriteLocks()),
        placements: createPlacementRepository(db, createWriteLocks()),
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

      await placement.startAgain();
      await waitFor(() => coachChanges(running).length >= 2, {
        what: 'placement.changed for both placements after the restart',
      });
      await outboxesEmpty();
      await placement.readAll();
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
