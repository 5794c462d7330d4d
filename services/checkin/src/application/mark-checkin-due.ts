import {
  CheckinDueV1,
  createEvent,
  deterministicUuid,
  type FollowUpDueJobV1,
} from '@sanad/contracts';
import { decideDue } from '../domain/consent';
import { slotOf } from '../domain/follow-up-plan';
import type { Clock, FollowUpPlanRepository, OutboxNotifier } from './ports';

/**
 * A follow-up job fired: the check-in is due, and announced with checkin.due, unless the consents
 * stored for its placement now forbid asking this respondent; then it is skipped ('no-consent')
 * and announced to no one. Firing twice settles it once.
 */
export function makeMarkCheckinDue({
  plans,
  outbox,
  clock,
}: {
  plans: FollowUpPlanRepository;
  outbox: OutboxNotifier;
  clock: Clock;
}) {
  return async (job: FollowUpDueJobV1): Promise<'due' | 'skipped' | 'unchanged'> => {
    const outcome = await plans.settleDue(job.placementId, slotOf(job), (consents) => {
      const decision = decideDue(job.respondent, consents);
      if (decision.status === 'skipped') return decision;
      const event = createEvent(
        CheckinDueV1,
        {
          placementId: job.placementId,
          checkinId: job.checkinId,
          milestoneDay: job.milestoneDay,
          respondent: job.respondent,
          channel: job.respondent === 'coach' ? 'phone' : 'web-link',
        },
        { producer: 'checkin', correlationId: job.correlationId, causationId: null },
        clock.now(),
        deterministicUuid(`checkin.due:${job.checkinId}`),
      );
      return { status: 'due', events: [event] };
    });
    if (outcome === 'due') outbox.nudge({ collection: 'follow_up_plans', id: job.placementId });
    return outcome;
  };
}
