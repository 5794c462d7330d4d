import {
  ConsumerGroups,
  eventSchema,
  PlacementConfirmedV1,
  PlacementRecordedV1,
  Topics,
  type Envelope,
} from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';

type PlanFollowUps = (
  placement: { placementId: string; startDate: string },
  cause: Envelope,
) => Promise<void>;

/** A placement recorded or confirmed: plan its follow-up check-ins (once). */
export const placementEventsConsumer = (planFollowUps: PlanFollowUps) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacements,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1, PlacementConfirmedV1),
    async handle(event) {
      const startDate =
        event.type === 'placement.recorded' ? event.data.startDate : event.data.terms.startDate;
      await planFollowUps({ placementId: event.data.placementId, startDate }, event);
    },
  });
