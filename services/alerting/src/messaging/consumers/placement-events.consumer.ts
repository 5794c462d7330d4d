import {
  ConsumerGroups,
  eventSchema,
  PlacementConfirmedV1,
  PlacementEndedV1,
  PlacementRecordedV1,
  Topics,
} from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { makeRecordFacts } from '../../application/record-facts';

export const placementEventsConsumer = (recordFacts: ReturnType<typeof makeRecordFacts>) =>
  defineConsumer({
    name: ConsumerGroups.alertingPlacements,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1, PlacementConfirmedV1, PlacementEndedV1),
    handle: (event) => recordFacts(event),
  });
