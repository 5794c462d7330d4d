import { ConsumerGroups, eventSchema, PlacementConsentChangedV1, Topics } from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { FollowPlacements } from '../../application/follow-placements';

/** A participant's consents changed: keep them with the placement's follow-up plan. */
export const placementConsentsConsumer = (follow: Pick<FollowPlacements, 'consentsChanged'>) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacementConsents,
    topic: Topics.placement,
    schema: eventSchema(PlacementConsentChangedV1),
    async handle(event) {
      await follow.consentsChanged(event);
    },
  });
