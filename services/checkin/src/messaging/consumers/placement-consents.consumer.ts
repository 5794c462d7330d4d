import { ConsumerGroups, eventSchema, PlacementConsentChangedV1, Topics } from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { makeRecordConsents } from '../../application/record-consents';

/** A participant's consents changed: keep them with the placement's follow-up plan. */
export const placementConsentsConsumer = (recordConsents: ReturnType<typeof makeRecordConsents>) =>
  defineConsumer({
    name: ConsumerGroups.checkinPlacementConsents,
    topic: Topics.placement,
    schema: eventSchema(PlacementConsentChangedV1),
    async handle(event) {
      await recordConsents(event);
    },
  });
