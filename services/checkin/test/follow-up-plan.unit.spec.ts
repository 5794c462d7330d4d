import {
  addDays,
  DEFAULT_POLICY,
  delayUntilDue,
  planFollowUps,
  slotOf,
} from '../src/domain/follow-up-plan';

describe('follow-up plan', () => {
  const placementId = '6f1c0d7e-1111-4a4a-8b8b-123456789abc';

  it('plans coach and participant check-ins at every milestone and the supervisor at days 30 and 90', () => {
    const plan = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
    expect(plan.checkins.map(slotOf)).toEqual([
      'd7-coach',
      'd7-participant',
      'd14-coach',
      'd14-participant',
      'd30-coach',
      'd30-participant',
      'd30-supervisor',
      'd60-coach',
      'd60-participant',
      'd90-coach',
      'd90-participant',
      'd90-supervisor',
      'd180-coach',
      'd180-participant',
      'd365-coach',
      'd365-participant',
    ]);
    expect(plan.checkins.find((c) => slotOf(c) === 'd30-supervisor')?.dueDate).toBe('2026-01-31');
    expect(plan.checkins.find((c) => slotOf(c) === 'd365-coach')?.dueDate).toBe('2027-01-01');
  });

  it('gives the same check-in ids every time it is made, and different ids per slot', () => {
    const a = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
    const b = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
    expect(b.checkins.map((c) => c.checkinId)).toEqual(a.checkins.map((c) => c.checkinId));
    expect(new Set(a.checkins.map((c) => c.checkinId)).size).toBe(a.checkins.length);
  });

  it('keeps the scope of its placement, or none while it is not known', () => {
    const scope = { coachId: placementId, employerId: placementId, programmeId: placementId };
    expect(planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY).scope).toBeNull();
    expect(planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY, scope).scope).toEqual(scope);
  });

  it('counts days across month and leap-year ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
  });

  it('fires a past-due check-in at once and a future one at the start of its day', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(delayUntilDue('2026-02-01', now)).toBe(0);
    expect(delayUntilDue('2026-03-02', now)).toBe(14 * 3600 * 1000);
  });
});
