import {
  CheckinDueV1,
  createEvent,
  deterministicUuid,
  type FollowUpDueJobV1,
} from '@sanad/contracts';
import { slotOf } from '../domain/follow-up-plan';
import type { Clock, FollowUpPlanRepository, OutboxNotifier } from './ports';

/** A follow-up job fired: the check-in is due. Firing twice marks it due once. */
export function makeMarkCheckinDue({
  plans,
  outbox,
  clock,
}: {
  plans: FollowUpPlanRepository;
  outbox: OutboxNotifier;
  clock: Clock;
}) {
  return async (job: FollowUpDueJobV1): Promise<boolean> => {
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
    const changed = await plans.markDue(job.placementId, slotOf(job), [event]);
    if (changed) outbox.nudge();
    return changed;
  };
}
