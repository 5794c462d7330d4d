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
import type { makeRecordFacts } from '../../application/record-facts';

/**
 * A placement's events, one consumer for all of them so that its facts (its scope among them: who
 * may see it) change in the order the events were published.
 */
export const placementEventsConsumer = (recordFacts: ReturnType<typeof makeRecordFacts>) =>
  defineConsumer({
    name: ConsumerGroups.alertingPlacements,
    topic: Topics.placement,
    schema: eventSchema(
      PlacementRecordedV1,
      PlacementConfirmedV1,
      PlacementChangedV1,
      PlacementEndedV1,
    ),
    handle: (event) => recordFacts(event),
  });
