import {
  ConsumerGroups,
  eventSchema,
  PlacementChangedV1,
  PlacementConfirmedV1,
  PlacementRecordedV1,
  Topics,
  type Envelope,
} from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { PlacementToFollow } from '../../application/plan-follow-ups';
import type { makeRecordCoachChange } from '../../application/record-coach-change';

type PlanFollowUps = (placement: PlacementToFollow, cause: Envelope) => Promise<void>;

/**
 * A placement recorded or confirmed: plan its follow-up check-ins (once), and keep its scope and
 * the participant's consents when placement.recorded carries them. A placement changed: keep its
 * new coach, if it moved to another caseload. One consumer for all three, so that a placement's
 * scope changes in the order its events were published.
 */
export const placementEventsConsumer = (
  planFollowUps: PlanFollowUps,
  recordCoachChange: ReturnType<typeof makeRecordCoachChange>,
) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacements,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1, PlacementConfirmedV1, PlacementChangedV1),
    async handle(event) {
      switch (event.type) {
        case 'placement.recorded': {
          const { placementId, startDate, coachId, employerId, programmeId, consents } = event.data;
          await planFollowUps(
            {
              placementId,
              startDate,
              scope: { coachId, employerId, programmeId },
              ...(consents ? { consents } : {}),
            },
            event,
          );
          return;
        }
        case 'placement.confirmed': {
          const { placementId, terms } = event.data;
          await planFollowUps({ placementId, startDate: terms.startDate }, event);
          return;
        }
        case 'placement.changed':
          await recordCoachChange(event);
          return;
      }
    },
  });
