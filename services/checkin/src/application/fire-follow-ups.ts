import type { FollowUpDueJobV1 } from '@sanad/contracts';
import { fallDue, missCheckin, needsInvitation, withInvitation } from '../domain/checkin-lifecycle';
import { checkinBySlot, slotOf, type PlannedCheckin } from '../domain/follow-up-plan';
import { contextOf, dueEvent, missedEvent } from './checkin-events';
import type { CheckinInvitations } from './checkin-links';
import { missedJobOf } from './follow-up-jobs';
import type { Clock, FollowUpPlanRepository, FollowUpScheduler, OutboxNotifier } from './ports';

export type DueResult = 'due' | 'skipped' | 'unchanged';
export type MissedResult = 'missed' | 'unchanged';

export interface FireFollowUpsDeps {
  plans: FollowUpPlanRepository;
  scheduler: FollowUpScheduler;
  invitations: CheckinInvitations;
  outbox: OutboxNotifier;
  clock: Clock;
}

/**
 * What the follow-up jobs do when they fire. Due: the check-in is due (checkin.due: a task for the
 * coach), its missed job is scheduled for the end of its grace period, and a participant's or
 * supervisor's link is mailed. Missed: a check-in still due is missed (checkin.missed). Each step
 * is settled once in the plan, so a job fired twice, or retried after a failure half-way, ends
 * with one event, one missed job and one invitation.
 */
export function makeFireFollowUps(deps: FireFollowUpsDeps) {
  const { plans, scheduler, invitations, outbox, clock } = deps;
  const nudge = (placementId: string) =>
    outbox.nudge({ collection: 'follow_up_plans', id: placementId });

  async function due(job: FollowUpDueJobV1): Promise<DueResult> {
    const now = clock.now();
    const slot = slotOf(job);
    const context = contextOf(job.correlationId, null);
    const { result, plan } = await plans.mutate(job.placementId, (stored) => {
      if (!stored) return { result: 'unchanged' as DueResult };
      const outcome = fallDue(stored, slot, job.dueDate, now);
      if (outcome.kind === 'unchanged') return { result: 'unchanged' as DueResult };
      return {
        next: outcome.plan,
        events:
          outcome.kind === 'due' ? [dueEvent(outcome.plan, outcome.checkin, context, now)] : [],
        result: outcome.kind as DueResult,
      };
    });
    if (result === 'due') nudge(job.placementId);
    // Whatever this firing found, a due check-in must have its missed job and its invitation: a
    // retry after a failure half-way finishes what the first firing began.
    const checkin: PlannedCheckin | undefined = plan ? checkinBySlot(plan, slot) : undefined;
    if (plan && checkin && checkin.status === 'due' && checkin.dueDate === job.dueDate) {
      await scheduler.schedule([missedJobOf(plan, checkin, now, job.correlationId)]);
      if (needsInvitation(checkin)) {
        const invitation = await invitations.invite(plan, checkin, now);
        await plans.mutate(job.placementId, (stored) => {
          const next = stored ? withInvitation(stored, slot, invitation) : null;
          return { next, result: undefined };
        });
      }
    }
    return result;
  }

  async function missed(job: FollowUpDueJobV1): Promise<MissedResult> {
    const now = clock.now();
    const context = contextOf(job.correlationId, null);
    const { result } = await plans.mutate(job.placementId, (stored) => {
      if (!stored) return { result: 'unchanged' as MissedResult };
      const outcome = missCheckin(stored, slotOf(job), job.dueDate, now);
      if (outcome.kind === 'unchanged') return { result: 'unchanged' as MissedResult };
      return {
        next: outcome.plan,
        events: [missedEvent(outcome.plan, outcome.checkin, context, now)],
        result: 'missed' as MissedResult,
      };
    });
    if (result === 'missed') nudge(job.placementId);
    return result;
  }

  return { due, missed };
}

export type FireFollowUps = ReturnType<typeof makeFireFollowUps>;
