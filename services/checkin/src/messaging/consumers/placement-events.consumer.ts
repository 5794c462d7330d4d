import {
  ConsumerGroups,
  eventSchema,
  PlacementConfirmedV1,
  PlacementRecordedV1,
  Topics,
  type Envelope,
} from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { PlacementToFollow } from '../../application/plan-follow-ups';

type PlanFollowUps = (placement: PlacementToFollow, cause: Envelope) => Promise<void>;

/**
 * A placement recorded or confirmed: plan its follow-up check-ins (once), and keep its scope and
 * the participant's consents when placement.recorded carries them.
 */
export const placementEventsConsumer = (planFollowUps: PlanFollowUps) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacements,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1, PlacementConfirmedV1),
    async handle(event) {
      if (event.type === 'placement.recorded') {
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
      const { placementId, terms } = event.data;
      await planFollowUps({ placementId, startDate: terms.startDate }, event);
    },
  });
