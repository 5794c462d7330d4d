import type { CheckinFlags, ConsentFlags } from '@sanad/contracts';
import {
  fallDue,
  missCheckin,
  recordAnswers,
  type DueOutcome,
  type MissOutcome,
  type RecordOutcome,
} from '../src/domain/checkin-lifecycle';
import {
  DEFAULT_POLICY,
  endPlan,
  planFollowUps,
  slotOf,
  withCheckin,
  type CheckinRecord,
  type FollowUpPlan,
  type PlannedCheckin,
} from '../src/domain/follow-up-plan';

const placementId = '6f1c0d7e-1111-4a4a-8b8b-123456789abc';
const open = planFollowUps(placementId, '2026-01-01', DEFAULT_POLICY);
const slot = (plan: FollowUpPlan, s: string) =>
  plan.checkins.find((c) => slotOf(c) === s) as PlannedCheckin;
const set = (plan: FollowUpPlan, s: string, change: Partial<PlannedCheckin>) =>
  withCheckin(plan, { ...slot(plan, s), ...change });
const consents = (followUp: boolean, employerContact: boolean): ConsentFlags => ({
  followUp,
  employerContact,
  reportingByCategory: false,
});
// d7 is due 2026-01-08 and missed from 2026-01-15 (a week's grace).
const D7 = '2026-01-08';
const atDue = new Date('2026-01-08T00:00:05Z');

const planOf = (o: DueOutcome | MissOutcome | RecordOutcome): FollowUpPlan => {
  if (!('plan' in o)) throw new Error(`no plan in ${o.kind}`);
  return o.plan;
};

let n = 0;
function record(change: Partial<CheckinRecord> = {}): CheckinRecord {
  n += 1;
  return {
    recordId: `r${n}`,
    checkinId: slot(open, 'd7-coach').checkinId,
    milestoneDay: null,
    respondent: 'coach',
    channel: 'phone',
    twoWay: true,
    recordedAt: '2026-01-09T10:00:00.000Z',
    recordedBy: 'coach-1',
    answers: {},
    scores: {
      stability: null,
      professionalAdaptation: null,
      socialAdaptation: null,
      satisfaction: null,
    },
    flags: {} as CheckinFlags,
    hours: null,
    digest: 'digest-a',
    ...change,
  };
}

describe('a check-in falling due', () => {
  it('is due when its job fires, once', () => {
    const outcome = fallDue(open, 'd7-coach', D7, atDue);
    expect(outcome.kind).toBe('due');
    const due = slot(planOf(outcome), 'd7-coach');
    expect(due.status).toBe('due');
    expect(due.dueAt).toBe(atDue.toISOString());
    expect(fallDue(planOf(outcome), 'd7-coach', D7, atDue)).toEqual({ kind: 'unchanged' });
  });

  it.each([
    ['participant', consents(true, false), 'due'],
    ['participant', consents(false, true), 'skipped'],
    ['supervisor', consents(false, true), 'due'],
    ['supervisor', consents(true, false), 'skipped'],
    ['coach', consents(false, false), 'due'],
    ['participant', null, 'due'],
  ] as const)('asks the %s with consents %j: %s', (respondent, given, expected) => {
    const plan = { ...open, consents: given };
    const outcome = fallDue(plan, `d30-${respondent}`, '2026-01-31', atDue);
    expect(outcome.kind).toBe(expected);
    const checkin = slot(planOf(outcome), `d30-${respondent}`);
    expect(checkin.status).toBe(expected);
    if (expected === 'skipped') expect(checkin.skipReason).toBe('no-consent');
  });

  it('changes nothing for a job made for another due date (the check-in moved since)', () => {
    expect(fallDue(open, 'd7-coach', '2026-01-07', atDue)).toEqual({ kind: 'unchanged' });
  });

  it('changes nothing for an unknown slot, or a plan not open', () => {
    expect(fallDue(open, 'd8-coach', D7, atDue)).toEqual({ kind: 'unchanged' });
    const ended = endPlan(open, '2026-01-05').plan;
    expect(fallDue(ended, 'd7-coach', D7, atDue)).toEqual({ kind: 'unchanged' });
    const awaiting = { ...open, status: 'awaiting-confirmation' as const };
    expect(fallDue(awaiting, 'd7-coach', D7, atDue)).toEqual({ kind: 'unchanged' });
  });
});

describe('a due check-in missed', () => {
  const due = planOf(fallDue(open, 'd7-coach', D7, atDue));

  it('is not missed before the end of its grace period', () => {
    expect(missCheckin(due, 'd7-coach', D7, new Date('2026-01-14T23:59:59Z'))).toEqual({
      kind: 'unchanged',
    });
  });

  it('is missed from the start of missAfter, with the whole days it is overdue', () => {
    const at = new Date('2026-01-15T00:00:01Z');
    const outcome = missCheckin(due, 'd7-coach', D7, at);
    expect(outcome.kind).toBe('missed');
    const missed = slot(planOf(outcome), 'd7-coach');
    expect(missed).toMatchObject({ status: 'missed', missedAt: at.toISOString(), daysOverdue: 7 });
    const late = missCheckin(due, 'd7-coach', D7, new Date('2026-01-20T15:00:00Z'));
    expect(slot(planOf(late), 'd7-coach').daysOverdue).toBe(12);
  });

  it('is missed once; a scheduled or completed check-in is never missed', () => {
    const at = new Date('2026-01-16T00:00:00Z');
    const missed = planOf(missCheckin(due, 'd7-coach', D7, at));
    expect(missCheckin(missed, 'd7-coach', D7, at)).toEqual({ kind: 'unchanged' });
    expect(missCheckin(open, 'd7-coach', D7, at)).toEqual({ kind: 'unchanged' });
    const completed = set(due, 'd7-coach', { status: 'completed' });
    expect(missCheckin(completed, 'd7-coach', D7, at)).toEqual({ kind: 'unchanged' });
  });

  it('changes nothing for a job made for another due date', () => {
    expect(missCheckin(due, 'd7-coach', '2026-01-01', new Date('2026-02-01'))).toEqual({
      kind: 'unchanged',
    });
  });
});

describe('answers recorded', () => {
  const due = planOf(fallDue(open, 'd7-coach', D7, atDue));
  const d7 = slot(due, 'd7-coach');

  it('complete the check-in they answer with a two-way contact', () => {
    const r = record({ checkinId: d7.checkinId });
    const outcome = recordAnswers(due, r);
    if (outcome.kind !== 'recorded') throw new Error(outcome.kind);
    expect(outcome.completed).toMatchObject({
      status: 'completed',
      completedAt: r.recordedAt,
      recordId: r.recordId,
    });
    expect(slot(outcome.plan, 'd7-coach').status).toBe('completed');
    expect(outcome.record.milestoneDay).toBe(7);
    expect(outcome.plan.records).toEqual([outcome.record]);
  });

  it('are kept without completing it for a one-way contact (it stays due, and can be missed)', () => {
    const outcome = recordAnswers(due, record({ checkinId: d7.checkinId, twoWay: false }));
    if (outcome.kind !== 'recorded') throw new Error(outcome.kind);
    expect(outcome.completed).toBeNull();
    expect(slot(outcome.plan, 'd7-coach').status).toBe('due');
    expect(outcome.plan.records).toHaveLength(1);
    const missed = missCheckin(outcome.plan, 'd7-coach', D7, new Date('2026-01-15T00:00:00Z'));
    expect(missed.kind).toBe('missed');
  });

  it('are kept for a coach contact outside the plan, completing nothing', () => {
    const outcome = recordAnswers(due, record({ checkinId: null }));
    if (outcome.kind !== 'recorded') throw new Error(outcome.kind);
    expect(outcome.completed).toBeNull();
    expect(outcome.plan.checkins).toEqual(due.checkins);
  });

  it('complete a check-in answered late, after it was missed', () => {
    const missed = planOf(missCheckin(due, 'd7-coach', D7, new Date('2026-01-16T00:00:00Z')));
    const outcome = recordAnswers(missed, record({ checkinId: d7.checkinId }));
    if (outcome.kind !== 'recorded') throw new Error(outcome.kind);
    expect(slot(outcome.plan, 'd7-coach').status).toBe('completed');
  });

  it('also complete a check-in still scheduled', () => {
    const outcome = recordAnswers(open, record({ checkinId: d7.checkinId }));
    expect(outcome.kind).toBe('recorded');
  });

  it('sent again with the same key and the same answers get the first record back', () => {
    const first = record({ checkinId: d7.checkinId, idempotencyKey: 'key-00000001' });
    const recorded = recordAnswers(due, first);
    if (recorded.kind !== 'recorded') throw new Error(recorded.kind);
    const retry = recordAnswers(recorded.plan, {
      ...record(),
      checkinId: d7.checkinId,
      idempotencyKey: 'key-00000001',
    });
    expect(retry).toEqual({ kind: 'replayed', record: recorded.record });
  });

  it('with a key used already for other answers are refused', () => {
    const recorded = planOf(
      recordAnswers(due, record({ checkinId: null, idempotencyKey: 'key-00000002' })),
    );
    const other = record({ checkinId: null, idempotencyKey: 'key-00000002', digest: 'digest-b' });
    expect(recordAnswers(recorded, other)).toEqual({ kind: 'refused', reason: 'key-reused' });
  });

  it('for a check-in completed already are refused, with the record that completed it', () => {
    const first = recordAnswers(due, record({ checkinId: d7.checkinId }));
    if (first.kind !== 'recorded') throw new Error(first.kind);
    expect(recordAnswers(first.plan, record({ checkinId: d7.checkinId }))).toEqual({
      kind: 'refused',
      reason: 'already-completed',
      record: first.record,
    });
  });

  it.each(['cancelled', 'skipped'] as const)(
    'for a %s check-in are refused: not open',
    (status) => {
      const plan = set(due, 'd7-coach', { status });
      expect(recordAnswers(plan, record({ checkinId: d7.checkinId }))).toEqual({
        kind: 'refused',
        reason: 'not-open',
      });
    },
  );

  it('for a check-in not in the plan, or of another respondent, are refused', () => {
    const unknown = record({ checkinId: '00000000-0000-4000-8000-000000000000' });
    expect(recordAnswers(due, unknown)).toEqual({ kind: 'refused', reason: 'not-a-checkin' });
    const participants = record({ checkinId: slot(due, 'd7-participant').checkinId });
    expect(recordAnswers(due, participants)).toEqual({ kind: 'refused', reason: 'not-a-checkin' });
  });

  it('after the placement ended are refused, but a retry still gets its first record', () => {
    const first = record({ checkinId: d7.checkinId, idempotencyKey: 'key-00000003' });
    const recorded = recordAnswers(due, first);
    if (recorded.kind !== 'recorded') throw new Error(recorded.kind);
    const ended = endPlan(recorded.plan, '2026-01-20').plan;
    expect(recordAnswers(ended, record({ checkinId: null }))).toEqual({
      kind: 'refused',
      reason: 'placement-ended',
    });
    expect(recordAnswers(ended, { ...first, recordId: 'again' }).kind).toBe('replayed');
  });
});
