import { randomUUID } from 'node:crypto';
import { createEvent, PlacementChangedV1 } from '@sanad/contracts';
import { placementCoachChangedEvent } from '@sanad/testing';
import type { FollowUpPlanRepository } from '../src/application/ports';
import { makeRecordCoachChange } from '../src/application/record-coach-change';
import { isLaterCoachChange, recordedScope } from '../src/domain/follow-up-plan';

describe('a placement moving to another coach', () => {
  const t0 = new Date('2026-03-01T08:00:00.000Z');
  const t1 = new Date('2026-03-01T08:00:00.001Z');

  it('keeps a change unless a later one is kept already; the same one again is kept again', () => {
    expect(isLaterCoachChange(t0, null)).toBe(true);
    expect(isLaterCoachChange(t1, t0)).toBe(true);
    expect(isLaterCoachChange(t0, t0)).toBe(true);
    expect(isLaterCoachChange(t0, t1)).toBe(false);
  });

  it('keeps the coach of a change that came first over the one placement.recorded carries', () => {
    const scope = { coachId: randomUUID(), employerId: randomUUID(), programmeId: randomUUID() };
    const kept = randomUUID();
    expect(recordedScope(scope, kept)).toEqual({ ...scope, coachId: kept });
    expect(recordedScope(scope, null)).toEqual(scope);
  });

  it('stores the new coach of a coach change, decided when the event occurred, and nothing for other changes', async () => {
    const stored: [string, string, Date][] = [];
    const plans = {
      storeCoach: async (placementId: string, coachId: string, changedAt: Date) => {
        stored.push([placementId, coachId, changedAt]);
        return true;
      },
    } as unknown as FollowUpPlanRepository;
    const record = makeRecordCoachChange({ plans });

    const after = randomUUID();
    const event = placementCoachChangedEvent({ at: t1, coach: { after } });
    expect(await record(event)).toBe(true);
    expect(stored).toEqual([[event.data.placementId, after, t1]]);

    const hours = createEvent(
      PlacementChangedV1,
      {
        placementId: randomUUID(),
        changes: [{ field: 'hoursPerWeek', before: 30, after: 15 }],
        effectiveDate: '2026-03-01',
      },
      { producer: 'test', correlationId: 'c', causationId: null },
      t1,
    );
    expect(await record(hours)).toBe(false);
    expect(stored).toHaveLength(1);
  });
});
