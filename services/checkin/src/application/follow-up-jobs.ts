import { followUpJobId, followUpMissedJobId } from '@sanad/contracts';
import { delayUntil, type FollowUpPlan, type PlannedCheckin } from '../domain/follow-up-plan';
import type { ScheduledJob } from './ports';

/**
 * The delayed jobs of a plan. Each check-in has two, with ids made from its placement, milestone
 * and respondent: one fires when it falls due, the other when its grace period ends. Each carries
 * the due date it was made for, so a job made for an older plan finds itself out of date.
 */
const payloadOf = (plan: FollowUpPlan, c: PlannedCheckin, correlationId: string) => ({
  placementId: plan.placementId,
  checkinId: c.checkinId,
  milestoneDay: c.milestoneDay,
  respondent: c.respondent,
  dueDate: c.dueDate,
  correlationId,
});

export function dueJobOf(
  plan: FollowUpPlan,
  c: PlannedCheckin,
  now: Date,
  correlationId: string,
): ScheduledJob {
  return {
    kind: 'due',
    jobId: followUpJobId(plan.placementId, c.milestoneDay, c.respondent),
    delayMs: delayUntil(c.dueDate, now),
    payload: payloadOf(plan, c, correlationId),
  };
}

export function missedJobOf(
  plan: FollowUpPlan,
  c: PlannedCheckin,
  now: Date,
  correlationId: string,
): ScheduledJob {
  return {
    kind: 'missed',
    jobId: followUpMissedJobId(plan.placementId, c.milestoneDay, c.respondent),
    delayMs: delayUntil(c.missAfter, now),
    payload: payloadOf(plan, c, correlationId),
  };
}

/** The job a check-in waits on now: its due job while scheduled, its missed job while due. */
export function pendingJobOf(
  plan: FollowUpPlan,
  c: PlannedCheckin,
  now: Date,
  correlationId: string,
): ScheduledJob | null {
  if (plan.status !== 'open') return null;
  if (c.status === 'scheduled') return dueJobOf(plan, c, now, correlationId);
  if (c.status === 'due') return missedJobOf(plan, c, now, correlationId);
  return null;
}

/** Both job ids of a check-in (to cancel whichever exists). */
export const jobIdsOf = (plan: FollowUpPlan, c: PlannedCheckin): string[] => [
  followUpJobId(plan.placementId, c.milestoneDay, c.respondent),
  followUpMissedJobId(plan.placementId, c.milestoneDay, c.respondent),
];
