import {
  addDays,
  confirmPlan,
  daysSince,
  DEFAULT_POLICY,
  delayUntil,
  emptyPlan,
  endPlan,
  planFollowUps,
  replan,
  slotOf,
  withCheckin,
  type FollowUpPlan,
  type PlannedCheckin,
} from '../src/domain/follow-up-plan';

const placementId = '6f1c0d7e-1111-4a4a-8b8b-123456789abc';
const slot = (plan: FollowUpPlan, s: string) =>
  plan.checkins.find((c) => slotOf(c) === s) as PlannedCheckin;
const set = (plan: FollowUpPlan, s: string, change: Partial<PlannedCheckin>) =>
  withCheckin(plan, { ...slot(plan, s), ...change });

describe('follow-up plan', () => {
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
    expect(slot(plan, 'd30-supervisor').dueDate).toBe('2026-01-31');
    expect(slot(plan, 'd30-supervisor').missAfter).toBe('2026-02-07');
    expect(slot(plan, 'd365-coach').dueDate).toBe('2027-01-01');
  });

  it('gives the same check-in ids every time it is made, and different ids per slot', () => {
    const a = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
    const b = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
    expect(b.checkins.map((c) => c.checkinId)).toEqual(a.checkins.map((c) => c.checkinId));
    expect(new Set(a.checkins.map((c) => c.checkinId)).size).toBe(a.checkins.length);
  });

  it('knows no scope and no consents before the placement events tell them', () => {
    const plan = emptyPlan(placementId);
    expect(plan.scope).toEqual({});
    expect(plan.consents).toBeNull();
    expect(plan.status).toBe('awaiting-confirmation');
    expect(plan.checkins).toEqual([]);
  });

  it('counts days across month and leap-year ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
  });

  it('counts whole days since a date across month and leap-year ends', () => {
    expect(daysSince('2028-02-28', new Date('2028-03-01T00:00:00Z'))).toBe(2);
    expect(daysSince('2027-02-28', new Date('2027-03-01T23:59:59Z'))).toBe(1);
    expect(daysSince('2026-12-31', new Date('2027-01-01T00:00:00Z'))).toBe(1);
    expect(daysSince('2026-01-31', new Date('2026-01-31T23:59:59Z'))).toBe(0);
    expect(daysSince('2026-02-01', new Date('2026-01-31T12:00:00Z'))).toBe(-1);
    expect(daysSince('2028-01-01', new Date('2029-01-01T00:00:00Z'))).toBe(366);
  });

  it('fires a past-due check-in at once and a future one at the start of its day', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(delayUntil('2026-02-01', now)).toBe(0);
    expect(delayUntil('2026-03-02', now)).toBe(14 * 3600 * 1000);
  });
});

describe('confirming a plan', () => {
  const confirmation = { startDate: '2026-01-01', terms: { jobTitle: 'Cook', hoursPerWeek: 30 } };

  it('plans the check-ins from the confirmed start date and keeps the terms', () => {
    const { plan, scheduled } = confirmPlan(
      emptyPlan(placementId),
      confirmation,
      DEFAULT_POLICY,
      0,
    );
    expect(plan.status).toBe('open');
    expect(plan.startDate).toBe('2026-01-01');
    expect(plan.policyVersion).toBe(0);
    expect(scheduled).toHaveLength(16);
    expect(plan.checkins).toEqual(scheduled);
    expect(plan.terms).toEqual({ jobTitle: 'Cook', hoursPerWeek: 30, accommodations: [] });
  });

  it('plans nothing new when the confirmation is delivered again', () => {
    const first = confirmPlan(emptyPlan(placementId), confirmation, DEFAULT_POLICY, 0).plan;
    const due = set(first, 'd7-coach', { status: 'due' });
    const again = confirmPlan(due, { ...confirmation, startDate: '2026-02-01' }, DEFAULT_POLICY, 3);
    expect(again.scheduled).toEqual([]);
    expect(again.plan.checkins).toEqual(due.checkins);
    expect(again.plan.startDate).toBe('2026-01-01');
    expect(again.plan.policyVersion).toBe(0);
  });
});

describe('re-planning', () => {
  const open = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);

  it('moves the scheduled check-ins and keeps those that happened', () => {
    let plan = set(open, 'd7-coach', { status: 'completed', completedAt: '2026-01-08T10:00:00Z' });
    plan = set(plan, 'd7-participant', { status: 'missed', daysOverdue: 7 });
    plan = set(plan, 'd14-coach', { status: 'due' });
    const { plan: next, scheduled, cancelled } = replan(plan, '2026-01-11', DEFAULT_POLICY, 2);
    expect(cancelled).toEqual([]);
    expect(slot(next, 'd7-coach')).toEqual(slot(plan, 'd7-coach'));
    expect(slot(next, 'd7-participant')).toEqual(slot(plan, 'd7-participant'));
    expect(slot(next, 'd14-coach')).toEqual(slot(plan, 'd14-coach'));
    expect(slot(next, 'd14-participant').dueDate).toBe('2026-01-25');
    expect(slot(next, 'd14-participant').checkinId).toBe(slot(plan, 'd14-participant').checkinId);
    expect(scheduled.map(slotOf)).not.toContain('d14-coach');
    expect(scheduled).toHaveLength(13);
    expect(next.policyVersion).toBe(2);
    expect(next.startDate).toBe('2026-01-11');
  });

  it('plans the milestones a policy adds and cancels the scheduled ones it drops', () => {
    const policy = {
      ...DEFAULT_POLICY,
      milestones: [
        { day: 7, respondents: ['coach' as const] },
        { day: 45, respondents: ['coach' as const, 'supervisor' as const] },
      ],
    };
    const { plan, scheduled, cancelled } = replan(open, '2026-01-01', policy, 1);
    expect(scheduled.map(slotOf).sort()).toEqual(['d45-coach', 'd45-supervisor']);
    expect(cancelled).toHaveLength(15);
    expect(cancelled.every((c) => c.status === 'cancelled')).toBe(true);
    expect(plan.checkins.filter((c) => c.status !== 'cancelled').map(slotOf)).toEqual([
      'd7-coach',
      'd45-coach',
      'd45-supervisor',
    ]);
  });

  it('plans a slot again that an earlier re-plan cancelled', () => {
    const narrow = { ...DEFAULT_POLICY, milestones: [{ day: 7, respondents: ['coach' as const] }] };
    const dropped = replan(open, '2026-01-01', narrow, 1).plan;
    expect(slot(dropped, 'd30-supervisor').status).toBe('cancelled');
    const { plan, scheduled } = replan(dropped, '2026-01-01', DEFAULT_POLICY, 2);
    expect(scheduled.map(slotOf)).toContain('d30-supervisor');
    expect(slot(plan, 'd30-supervisor').status).toBe('scheduled');
    expect(plan.checkins.filter((c) => slotOf(c) === 'd30-supervisor')).toHaveLength(1);
  });
});

describe('ending a plan', () => {
  it('cancels the scheduled and due check-ins and keeps what happened', () => {
    let plan = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
    plan = set(plan, 'd7-coach', { status: 'completed' });
    plan = set(plan, 'd7-participant', { status: 'missed' });
    plan = set(plan, 'd14-coach', { status: 'due' });
    plan = set(plan, 'd14-participant', { status: 'skipped', skipReason: 'no-consent' });
    const { plan: ended, cancelled } = endPlan(plan, '2026-02-01');
    expect(ended.status).toBe('ended');
    expect(ended.endDate).toBe('2026-02-01');
    expect(cancelled).toHaveLength(13);
    expect(cancelled.map(slotOf)).toContain('d14-coach');
    expect(slot(ended, 'd7-coach').status).toBe('completed');
    expect(slot(ended, 'd7-participant').status).toBe('missed');
    expect(slot(ended, 'd14-participant').status).toBe('skipped');
  });

  it('changes nothing when it ends again', () => {
    const ended = endPlan(planFollowUps(placementId, '2026-01-01'), '2026-02-01').plan;
    const again = endPlan(ended, '2026-03-01');
    expect(again.cancelled).toEqual([]);
    expect(again.plan).toBe(ended);
  });
});
