import type { PlacementScope } from '@sanad/auth';
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
  placement: { placementId: string; startDate: string; scope?: PlacementScope },
  cause: Envelope,
) => Promise<void>;

/** A placement recorded or confirmed: plan its follow-up check-ins (once), and keep its scope. */
export const placementEventsConsumer = (planFollowUps: PlanFollowUps) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacements,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1, PlacementConfirmedV1),
    async handle(event) {
      if (event.type === 'placement.recorded') {
        const { placementId, startDate, coachId, employerId, programmeId } = event.data;
        await planFollowUps(
          { placementId, startDate, scope: { coachId, employerId, programmeId } },
          event,
        );
        return;
      }
      const { placementId, terms } = event.data;
      await planFollowUps({ placementId, startDate: terms.startDate }, event);
    },
  });
