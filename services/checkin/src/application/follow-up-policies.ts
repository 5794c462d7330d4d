import type { Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { replan } from '../domain/follow-up-plan';
import type { FollowUpPolicy } from '../domain/follow-up-policy';
import { contextOf, scheduledEvents } from './checkin-events';
import { dueJobOf, jobIdsOf } from './follow-up-jobs';
import type {
  Clock,
  FollowUpPlanRepository,
  FollowUpScheduler,
  OutboxNotifier,
  PolicyRepository,
  StoredPolicy,
} from './ports';

/** Who may read a programme's policy: its admin, its managers and its coaches. */
const mayRead = (caller: Caller, programmeId: string) =>
  caller.role === 'admin' ||
  ((caller.role === 'programme-manager' || caller.role === 'coach') &&
    caller.programmeIds.includes(programmeId));

/**
 * A programme's follow-up policy: read by its staff, changed by an admin only. A change applies to
 * plans made from then on; on request it re-plans the open plans of the programme too (their
 * check-ins not yet due move, appear or are cancelled; what has happened stays).
 */
export function makeFollowUpPolicies({
  policies,
  plans,
  scheduler,
  outbox,
  clock,
}: {
  policies: PolicyRepository;
  plans: FollowUpPlanRepository;
  scheduler: FollowUpScheduler;
  outbox: OutboxNotifier;
  clock: Clock;
}) {
  async function get(caller: Caller, programmeId: string): Promise<StoredPolicy> {
    if (!mayRead(caller, programmeId)) throw AppError.notFound('programme');
    return policies.get(programmeId);
  }

  async function replanOpen(
    programmeId: string,
    stored: StoredPolicy,
    correlationId: string,
  ): Promise<number> {
    let replanned = 0;
    for await (const open of plans.openPlans(programmeId)) {
      const now = clock.now();
      const { result } = await plans.mutate(open.placementId, (plan) => {
        if (!plan || plan.status !== 'open' || !plan.startDate) return { result: null };
        const decided = replan(plan, plan.startDate, stored.policy, stored.version);
        const changed = decided.scheduled.length + decided.cancelled.length > 0;
        return {
          next: { ...decided.plan },
          events: scheduledEvents(
            decided.plan,
            decided.scheduled,
            contextOf(correlationId, null),
            now,
          ),
          result: changed ? decided : null,
        };
      });
      if (!result) continue;
      replanned += 1;
      outbox.nudge({ collection: 'follow_up_plans', id: open.placementId });
      await scheduler.cancel(result.cancelled.flatMap((c) => jobIdsOf(result.plan, c)));
      await scheduler.reschedule(
        result.scheduled.map((c) => dueJobOf(result.plan, c, now, correlationId)),
      );
    }
    return replanned;
  }

  async function put(
    caller: Caller,
    programmeId: string,
    change: { version: number; policy: FollowUpPolicy; replanOpen: boolean },
    correlationId: string,
  ): Promise<{ policy: StoredPolicy; replanned: number }> {
    if (caller.role !== 'admin') {
      if (!mayRead(caller, programmeId)) throw AppError.notFound('programme');
      throw new AppError('FORBIDDEN', 'only an administrator changes a follow-up policy');
    }
    const saved = await policies.save(
      programmeId,
      change.policy,
      change.version,
      caller.userId,
      clock.now(),
    );
    if (saved === 'stale') {
      throw new AppError('STALE_VERSION', 'the policy was changed meanwhile: read it again');
    }
    const replanned = change.replanOpen ? await replanOpen(programmeId, saved, correlationId) : 0;
    return { policy: saved, replanned };
  }

  return { get, put };
}

export type FollowUpPolicies = ReturnType<typeof makeFollowUpPolicies>;
