import {
  ConsumerGroups,
  eventSchema,
  PlacementChangedV1,
  PlacementConfirmedV1,
  PlacementEndedV1,
  PlacementRecordedV1,
  Topics,
} from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { FollowPlacements } from '../../application/follow-placements';

/**
 * A placement's life as follow-up sees it: recorded (its scope, consents and terms), confirmed (its
 * plan), changed (coach, terms, start date: a re-plan), ended (what is left is cancelled). One
 * consumer for all, so that a placement's plan changes in the order its events were published.
 */
export const placementEventsConsumer = (follow: FollowPlacements) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacements,
    topic: Topics.placement,
    schema: eventSchema(
      PlacementRecordedV1,
      PlacementConfirmedV1,
      PlacementChangedV1,
      PlacementEndedV1,
    ),
    async handle(event) {
      switch (event.type) {
        case 'placement.recorded':
          return follow.recorded(event);
        case 'placement.confirmed':
          return follow.confirmed(event);
        case 'placement.changed':
          return follow.changed(event);
        case 'placement.ended':
          return follow.ended(event);
      }
    },
  });
