import { decideDue } from './consent';
import {
  checkinById,
  checkinBySlot,
  daysSince,
  withCheckin,
  type CheckinRecord,
  type FollowUpPlan,
  type Invitation,
  type PlannedCheckin,
} from './follow-up-plan';

/**
 * How a planned check-in moves when its jobs fire and when answers come: pure decisions over the
 * plan. A job carries the due date it was made for; a job made for an older plan (its check-in has
 * moved since) changes nothing, so a job that fires late, twice or out of date is harmless.
 */

export type Unchanged = { kind: 'unchanged' };
const unchanged: Unchanged = { kind: 'unchanged' };

/** The check-in a job was made for, if it is still that check-in and in `status`. */
function current(
  plan: FollowUpPlan,
  slot: string,
  jobDueDate: string,
  status: PlannedCheckin['status'],
): PlannedCheckin | undefined {
  if (plan.status !== 'open') return undefined;
  const checkin = checkinBySlot(plan, slot);
  return checkin && checkin.status === status && checkin.dueDate === jobDueDate
    ? checkin
    : undefined;
}

export type DueOutcome =
  | { kind: 'due'; plan: FollowUpPlan; checkin: PlannedCheckin }
  | { kind: 'skipped'; plan: FollowUpPlan; checkin: PlannedCheckin }
  | Unchanged;

/**
 * Its due job fired: the check-in is due, unless the consents known now forbid asking its
 * respondent (then skipped, asked of no one). Firing twice settles it once.
 */
export function fallDue(
  plan: FollowUpPlan,
  slot: string,
  jobDueDate: string,
  now: Date,
): DueOutcome {
  const checkin = current(plan, slot, jobDueDate, 'scheduled');
  if (!checkin) return unchanged;
  const decision = decideDue(checkin.respondent, plan.consents);
  const next: PlannedCheckin =
    decision.status === 'due'
      ? { ...checkin, status: 'due', dueAt: now.toISOString() }
      : { ...checkin, status: 'skipped', skipReason: decision.reason };
  return { kind: decision.status, plan: withCheckin(plan, next), checkin: next };
}

export type MissOutcome =
  { kind: 'missed'; plan: FollowUpPlan; checkin: PlannedCheckin } | Unchanged;

/**
 * Its grace period is over: a check-in still due (no two-way answer) is missed, with the whole
 * days it is overdue. Before the end of the grace period, or once answered, nothing changes.
 */
export function missCheckin(
  plan: FollowUpPlan,
  slot: string,
  jobDueDate: string,
  now: Date,
): MissOutcome {
  const checkin = current(plan, slot, jobDueDate, 'due');
  if (!checkin || daysSince(checkin.missAfter, now) < 0) return unchanged;
  const next: PlannedCheckin = {
    ...checkin,
    status: 'missed',
    missedAt: now.toISOString(),
    daysOverdue: Math.max(0, daysSince(checkin.dueDate, now)),
  };
  return { kind: 'missed', plan: withCheckin(plan, next), checkin: next };
}

/** Whether a due check-in's invitation still has to be sent. */
export const needsInvitation = (checkin: PlannedCheckin | undefined): boolean =>
  !!checkin &&
  checkin.respondent !== 'coach' &&
  (checkin.status === 'due' || checkin.status === 'missed') &&
  checkin.invitation === undefined;

export function withInvitation(
  plan: FollowUpPlan,
  slot: string,
  invitation: Invitation,
): FollowUpPlan | null {
  const checkin = checkinBySlot(plan, slot);
  if (!needsInvitation(checkin)) return null;
  return withCheckin(plan, { ...(checkin as PlannedCheckin), invitation });
}

/** Why answers are not recorded. */
export type RecordRefusal =
  'placement-ended' | 'already-completed' | 'key-reused' | 'not-open' | 'not-a-checkin';

export type RecordOutcome =
  | {
      kind: 'recorded';
      plan: FollowUpPlan;
      record: CheckinRecord;
      completed: PlannedCheckin | null;
    }
  | { kind: 'replayed'; record: CheckinRecord }
  | { kind: 'refused'; reason: RecordRefusal; record?: CheckinRecord };

/**
 * Answers come (from the coach, or through a link): they are kept, and a two-way answer completes
 * the check-in it answers. The same Idempotency-Key with the same answers is a retry and gets the
 * first record back; with other answers, or for a check-in answered already, it is refused.
 */
export function recordAnswers(plan: FollowUpPlan, record: CheckinRecord): RecordOutcome {
  if (record.idempotencyKey) {
    const earlier = plan.records.find((r) => r.idempotencyKey === record.idempotencyKey);
    if (earlier) {
      return earlier.digest === record.digest
        ? { kind: 'replayed', record: earlier }
        : { kind: 'refused', reason: 'key-reused' };
    }
  }
  if (plan.status === 'ended') return { kind: 'refused', reason: 'placement-ended' };
  let completed: PlannedCheckin | null = null;
  let next = plan;
  let kept = record;
  if (record.checkinId !== null) {
    const checkin = checkinById(plan, record.checkinId);
    if (!checkin || checkin.respondent !== record.respondent)
      return { kind: 'refused', reason: 'not-a-checkin' };
    if (checkin.status === 'completed') {
      const first = plan.records.find((r) => r.recordId === checkin.recordId);
      return { kind: 'refused', reason: 'already-completed', ...(first ? { record: first } : {}) };
    }
    if (checkin.status === 'cancelled' || checkin.status === 'skipped')
      return { kind: 'refused', reason: 'not-open' };
    kept = { ...record, milestoneDay: checkin.milestoneDay };
    if (record.twoWay) {
      completed = {
        ...checkin,
        status: 'completed',
        completedAt: record.recordedAt,
        recordId: record.recordId,
      };
      next = withCheckin(plan, completed);
    }
  }
  return {
    kind: 'recorded',
    plan: { ...next, records: [...next.records, kept] },
    record: kept,
    completed,
  };
}
