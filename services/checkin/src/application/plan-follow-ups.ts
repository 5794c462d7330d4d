import type { PlacementScope } from '@sanad/auth';
import {
  causedBy,
  CheckinScheduledV1,
  createEvent,
  deterministicUuid,
  followUpJobId,
  type ConsentFlags,
  type Envelope,
} from '@sanad/contracts';
import { delayUntilDue, planFollowUps, type FollowUpPolicy } from '../domain/follow-up-plan';
import type { Clock, FollowUpPlanRepository, FollowUpScheduler, OutboxNotifier } from './ports';

export interface PlanFollowUpsDeps {
  plans: FollowUpPlanRepository;
  scheduler: FollowUpScheduler;
  outbox: OutboxNotifier;
  clock: Clock;
  policy: FollowUpPolicy;
}

/** What the placement events say of a placement to follow up. */
export interface PlacementToFollow {
  placementId: string;
  startDate: string;
  scope?: PlacementScope;
  /** The participant's consents, when placement.recorded carries them. */
  consents?: ConsentFlags;
}

/**
 * A placement starts: plan its follow-up check-ins, announce each, and schedule a delayed job per
 * check-in. Every step is repeatable: the plan is stored once, its events have fixed ids, and the
 * jobs have deterministic ids, so a redelivered event changes nothing. The placement's scope, when
 * the event carries it, is kept with the plan (it decides who may see it), and so are the
 * participant's consents, stored before any job is scheduled (they decide who is asked).
 */
export function makePlanFollowUps({ plans, scheduler, outbox, clock, policy }: PlanFollowUpsDeps) {
  return async (placement: PlacementToFollow, cause: Envelope): Promise<void> => {
    const now = clock.now();
    const plan = planFollowUps(
      placement.placementId,
      placement.startDate,
      policy,
      placement.scope ?? null,
      placement.consents ?? null,
    );
    const events = plan.checkins.map((c) =>
      createEvent(
        CheckinScheduledV1,
        {
          placementId: plan.placementId,
          checkinId: c.checkinId,
          milestoneDay: c.milestoneDay,
          dueDate: c.dueDate,
          respondent: c.respondent,
        },
        causedBy(cause, 'checkin'),
        now,
        deterministicUuid(`checkin.scheduled:${c.checkinId}`),
      ),
    );
    const stored = await plans.createIfAbsent(plan, events);
    outbox.nudge({ collection: 'follow_up_plans', id: plan.placementId });
    await scheduler.schedule(
      stored.checkins
        .filter((c) => c.status === 'scheduled')
        .map((c) => ({
          jobId: followUpJobId(stored.placementId, c.milestoneDay, c.respondent),
          delayMs: delayUntilDue(c.dueDate, now),
          payload: {
            placementId: stored.placementId,
            checkinId: c.checkinId,
            milestoneDay: c.milestoneDay,
            respondent: c.respondent,
            dueDate: c.dueDate,
            correlationId: cause.correlationId,
          },
        })),
    );
  };
}
