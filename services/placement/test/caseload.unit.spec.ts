import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import {
  createEvent,
  PlacementChangedV1,
  PlacementConsentChangedV1,
  type Envelope,
} from '@sanad/contracts';
import type { AuditAction } from '@sanad/audit';
import { makeReassignCoach } from '../src/application/reassign-coach';
import type {
  AccessContext,
  ParticipantChange,
  ParticipantRepository,
  PlacementRepository,
} from '../src/application/ports';
import {
  coachChangedEvents,
  coachChangeOf,
  pendingCoaches,
  reassignCoach,
  type PlacementCoach,
} from '../src/domain/caseload';
import { erase, registerParticipant, type Participant } from '../src/domain/participant';
import type { Placement } from '../src/domain/placement';

const oldCoach = randomUUID();
const newCoach = randomUUID();
const programmeId = randomUUID();
const t0 = new Date('2026-03-01T08:00:00.000Z');
const t1 = new Date('2026-04-02T23:30:00.000Z');
const context = { producer: 'placement', correlationId: 'req-1', causationId: null };

const register = (): Participant =>
  registerParticipant(
    {
      fullName: 'Aisha Al-Balushi',
      preferredLanguage: 'ar',
      programmeId,
      coachId: oldCoach,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    },
    { id: randomUUID(), code: 'P-7K3Q9X', by: oldCoach, now: t0 },
  );

const placementOf = (over: Partial<PlacementCoach> = {}): PlacementCoach => ({
  id: randomUUID(),
  coachId: oldCoach,
  status: 'recorded',
  ...over,
});

describe('moving a participant to another caseload', () => {
  it('sets the new coach and raises the version once', () => {
    const p = register();
    const { participant, changed } = reassignCoach(p, newCoach, { now: t1 });
    expect(changed).toBe(true);
    expect(participant).toEqual({
      ...p,
      coachId: newCoach,
      version: 2,
      updatedAt: t1.toISOString(),
    });
  });

  it('changes nothing for the same coach again', () => {
    const p = register();
    expect(reassignCoach(p, oldCoach, { now: t1 })).toEqual({ participant: p, changed: false });
    expect(reassignCoach(p, oldCoach, { now: t1, expectedVersion: 1 }).changed).toBe(false);
  });

  it('refuses a decision made on an older version, whatever it asks', () => {
    const p = reassignCoach(register(), newCoach, { now: t1 }).participant;
    for (const coachId of [oldCoach, newCoach, randomUUID()]) {
      expect(() => reassignCoach(p, coachId, { now: t1, expectedVersion: 1 })).toThrow(
        expect.objectContaining({ code: 'STALE_VERSION' }),
      );
    }
    expect(reassignCoach(p, oldCoach, { now: t1, expectedVersion: 2 }).participant.version).toBe(3);
  });

  it('moves an erased participant and leaves the tombstone a tombstone', () => {
    const tombstone = erase(register(), { now: t0, newCode: 'P-22222A' }).participant;
    const { participant } = reassignCoach(tombstone, newCoach, { now: t1 });
    expect(participant).toEqual({ ...tombstone, coachId: newCoach, version: 3 });
  });
});

describe('placement.changed for a new coach', () => {
  const moved = () => reassignCoach(register(), newCoach, { now: t1 }).participant;

  it('is one event per placement that has not ended and is not with the new coach already', () => {
    const p = moved();
    const recorded = placementOf();
    const confirmed = placementOf({ status: 'confirmed' });
    const ended = placementOf({ status: 'ended' });
    const already = placementOf({ coachId: newCoach });
    const elsewhere = placementOf({ coachId: randomUUID() });
    const events = coachChangedEvents(
      p,
      [recorded, confirmed, ended, already, elsewhere],
      context,
      t1,
    );
    expect(events.map((e) => e.key)).toEqual([recorded.id, confirmed.id, elsewhere.id]);
    expect(events[0]).toMatchObject({
      type: 'placement.changed',
      version: 1,
      occurredAt: t1.toISOString(),
      correlationId: 'req-1',
      data: {
        placementId: recorded.id,
        changes: [{ field: 'coachId', before: oldCoach, after: newCoach }],
        effectiveDate: '2026-04-02',
      },
    });
    expect(events[2]?.data.changes).toEqual([
      { field: 'coachId', before: elsewhere.coachId, after: newCoach },
    ]);
  });

  it('has an id fixed by placement, participant and version', () => {
    const p = moved();
    const placements = [placementOf(), placementOf()];
    const events = coachChangedEvents(p, placements, context, t1);
    expect(coachChangedEvents(p, placements, context, t1).map((e) => e.eventId)).toEqual(
      events.map((e) => e.eventId),
    );
    expect(new Set(events.map((e) => e.eventId)).size).toBe(2);
    const later = reassignCoach(p, oldCoach, { now: t1 }).participant;
    const back = coachChangedEvents(
      later,
      placements.map((x) => ({ ...x, coachId: newCoach })),
      context,
      t1,
    );
    expect(back[0]?.eventId).not.toBe(events[0]?.eventId);
  });

  it('carries nothing personal', () => {
    const text = JSON.stringify(coachChangedEvents(moved(), [placementOf()], context, t1));
    expect(text).not.toContain('Aisha');
    expect(text).not.toContain('P-7K3Q9X');
  });

  it('is read back from an event as the move it makes, and nothing else is', () => {
    const [event] = coachChangedEvents(moved(), [placementOf()], context, t1);
    expect(coachChangeOf(event as Envelope)).toEqual({ before: oldCoach, after: newCoach });
    const hours = createEvent(
      PlacementChangedV1,
      {
        placementId: randomUUID(),
        changes: [{ field: 'hoursPerWeek', before: 30, after: 20 }],
        effectiveDate: '2026-04-02',
      },
      context,
      t1,
    );
    expect(coachChangeOf(hours)).toBeNull();
    const consent = createEvent(
      PlacementConsentChangedV1,
      {
        placementId: randomUUID(),
        participantId: randomUUID(),
        consents: { followUp: true, employerContact: true, reportingByCategory: true },
        changedAt: t1.toISOString(),
      },
      context,
      t1,
    );
    expect(coachChangeOf(consent)).toBeNull();
  });

  it('starts from the coach each placement will have once the changes still waiting are applied', () => {
    const [a, b] = [placementOf(), placementOf()];
    const third = randomUUID();
    const first = coachChangedEvents(moved(), [a, b], context, t1);
    const second = coachChangedEvents(
      { ...moved(), coachId: third, version: 3 },
      [{ ...a, coachId: newCoach }],
      context,
      t1,
    );
    expect(pendingCoaches([a, b], [...first, ...second]).map((p) => p.coachId)).toEqual([
      third,
      newCoach,
    ]);
    expect(pendingCoaches([a, b], [])).toEqual([a, b]);
  });
});

describe('the use case', () => {
  const admin: Caller = { userId: randomUUID(), role: 'admin', programmeIds: [], employerId: null };
  const as = (caller: Caller): AccessContext => ({
    caller,
    purpose: 'administration',
    correlationId: 'req-2',
  });

  function fixture(participant: Participant, placements: Placement[]) {
    let stored = participant;
    const outbox: Envelope[] = [];
    const audited: AuditAction[] = [];
    let nudges = 0;
    const participants = {
      findById: async (id: string) => (id === stored.id ? stored : null),
      async update(
        id: string,
        decide: (c: Participant, p: readonly Envelope[]) => Promise<ParticipantChange | null>,
      ) {
        if (id !== stored.id) return null;
        const change = await decide(stored, [...outbox]);
        if (!change) return stored;
        stored = change.participant;
        outbox.push(...change.events);
        return stored;
      },
    } as unknown as ParticipantRepository;
    const placementRepository = {
      ofParticipant: async () => placements,
    } as unknown as PlacementRepository;
    const reassign = makeReassignCoach({
      participants,
      placements: placementRepository,
      audit: {
        record: async (_c, action) => void audited.push(action),
        recordLinkUse: async (action) => void audited.push(action),
        about: async () => [],
      },
      clock: { now: () => t1 },
      fanOut: { nudge: () => void (nudges += 1) },
    });
    return { reassign, outbox, audited, stored: () => stored, nudges: () => nudges };
  }

  const placement = (participantId: string, over: Partial<Placement> = {}): Placement => ({
    id: randomUUID(),
    participantId,
    employerId: randomUUID(),
    programmeId,
    coachId: oldCoach,
    terms: {
      jobTitle: 'Clerk',
      startDate: '2026-01-01',
      hoursPerWeek: 30,
      wage: { amount: 300, currency: 'OMR', period: 'month' },
    },
    supervisorId: null,
    accommodations: [],
    status: 'recorded',
    version: 1,
    recordedAt: t0.toISOString(),
    confirmedAt: null,
    ending: null,
    commandKeys: [],
    ...over,
  });

  it('writes the new coach and the events of the placements in one change, audited, then nudges', async () => {
    const p = register();
    const running = placement(p.id);
    const f = fixture(p, [running, placement(p.id, { status: 'ended' })]);
    const result = await f.reassign({
      context: as(admin),
      participantId: p.id,
      coachId: newCoach,
      expectedVersion: 1,
    });
    expect(result.changed).toBe(true);
    expect(f.stored()).toMatchObject({ coachId: newCoach, version: 2 });
    expect(f.outbox.map((e) => e.key)).toEqual([running.id]);
    expect(f.audited).toEqual(['update']);
    expect(f.nudges()).toBe(1);

    // Moved on again before the first change left: it starts from where the first one goes.
    const third = randomUUID();
    await f.reassign({ context: as(admin), participantId: p.id, coachId: third });
    expect(f.outbox.map((e) => coachChangeOf(e))).toEqual([
      { before: oldCoach, after: newCoach },
      { before: newCoach, after: third },
    ]);
  });

  it('changes and tells nothing for the same coach, and audits the request', async () => {
    const p = register();
    const f = fixture(p, [placement(p.id)]);
    const result = await f.reassign({ context: as(admin), participantId: p.id, coachId: oldCoach });
    expect(result).toEqual({ participant: p, changed: false });
    expect(f.outbox).toEqual([]);
    expect(f.nudges()).toBe(0);
    expect(f.audited).toEqual(['update']);
  });

  it.each([
    ['their own coach', { userId: oldCoach, role: 'coach' }, 'FORBIDDEN'],
    ['another coach', { role: 'coach' }, 'NOT_FOUND'],
    ['an employer user', { role: 'employer-user', employerId: randomUUID() }, 'NOT_FOUND'],
    ['a manager of another programme', { role: 'programme-manager' }, 'NOT_FOUND'],
  ] as const)('refuses %s, recording and changing nothing', async (_who, over, code) => {
    const p = register();
    const f = fixture(p, [placement(p.id)]);
    const caller: Caller = {
      userId: randomUUID(),
      programmeIds: [randomUUID()],
      employerId: null,
      ...over,
    };
    await expect(
      f.reassign({ context: as(caller), participantId: p.id, coachId: newCoach }),
    ).rejects.toMatchObject({ code });
    expect(f.stored()).toBe(p);
    expect(f.audited).toEqual([]);
  });

  it('refuses a stale version before recording anything', async () => {
    const p = register();
    const f = fixture(p, [placement(p.id)]);
    const manager: Caller = {
      userId: randomUUID(),
      role: 'programme-manager',
      programmeIds: [programmeId],
      employerId: null,
    };
    await expect(
      f.reassign({
        context: as(manager),
        participantId: p.id,
        coachId: newCoach,
        expectedVersion: 7,
      }),
    ).rejects.toMatchObject({ code: 'STALE_VERSION' });
    expect(f.stored()).toBe(p);
    expect(f.audited).toEqual([]);
    expect(f.outbox).toEqual([]);
  });
});
