import { randomUUID } from 'node:crypto';
import { knownScope } from '@sanad/auth';
import { createEvent, PlacementChangedV1 } from '@sanad/contracts';
import { placementCoachChangedEvent, placementRecordedEvent } from '@sanad/testing';
import type { PlacementFactsRepository } from '../src/application/ports';
import { makeRecordFacts } from '../src/application/record-facts';
import { factsFrom, withoutStaleCoach, type FactsUpdate } from '../src/domain/placement-facts';

const hoursChanged = (placementId = randomUUID()) =>
  createEvent(
    PlacementChangedV1,
    {
      placementId,
      changes: [{ field: 'hoursPerWeek', before: 30, after: 20 }],
      effectiveDate: '2026-05-01',
    },
    { producer: 'test', correlationId: 'c', causationId: null },
    new Date(),
  );

describe('placement facts', () => {
  it('learn the whole scope of the placement (coach, employer, programme) from placement.recorded', () => {
    const event = placementRecordedEvent({ placementId: randomUUID() });
    const update = factsFrom(event);
    expect(knownScope(update)).toEqual({
      coachId: event.data.coachId,
      employerId: event.data.employerId,
      programmeId: event.data.programmeId,
    });
  });

  it('learn the new coach of a move to another caseload, and when it was decided', () => {
    const after = randomUUID();
    const at = new Date('2026-05-01T09:00:00.000Z');
    const event = placementCoachChangedEvent({ coach: { after }, at });
    expect(factsFrom(event)).toEqual({ coachId: after, coachChangedAt: at.toISOString() });
    expect(factsFrom(hoursChanged())).toEqual({});
  });

  describe('a coach that is not the latest word', () => {
    const t0 = '2026-05-01T09:00:00.000Z';
    const t1 = '2026-05-01T09:00:00.001Z';
    const recorded: FactsUpdate = { coachId: 'recorded', programmeId: 'p', status: 'recorded' };

    it('yields to a move kept already, and the rest of placement.recorded applies', () => {
      expect(withoutStaleCoach(recorded, null)).toEqual(recorded);
      expect(withoutStaleCoach(recorded, t0)).toEqual({ programmeId: 'p', status: 'recorded' });
    });

    it('is an older move arriving late; the same move again or a later one applies', () => {
      const move = (at: string): FactsUpdate => ({ coachId: at, coachChangedAt: at });
      expect(withoutStaleCoach(move(t0), t1)).toEqual({});
      expect(withoutStaleCoach(move(t0), t0)).toEqual(move(t0));
      expect(withoutStaleCoach(move(t1), t0)).toEqual(move(t1));
      expect(withoutStaleCoach({ status: 'ended' }, t1)).toEqual({ status: 'ended' });
    });
  });

  it('are not written for an event that says nothing kept here', async () => {
    const applied: FactsUpdate[] = [];
    const facts = {
      apply: async (_id: string, update: FactsUpdate) => void applied.push(update),
    } as unknown as PlacementFactsRepository;
    const record = makeRecordFacts(facts);
    await record(hoursChanged());
    expect(applied).toEqual([]);
    await record(placementCoachChangedEvent());
    expect(applied).toHaveLength(1);
  });
});
