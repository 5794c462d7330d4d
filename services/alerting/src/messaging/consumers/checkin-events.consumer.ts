import { CheckinScheduledV1, ConsumerGroups, eventSchema, Topics } from '@sanad/contracts';
import { defineConsumer } from '@sanad/messaging';
import type { makeRecordFacts } from '../../application/record-facts';

export const checkinEventsConsumer = (recordFacts: ReturnType<typeof makeRecordFacts>) =>
  defineConsumer({
    name: ConsumerGroups.alertingCheckins,
    topic: Topics.checkin,
    schema: eventSchema(CheckinScheduledV1),
    handle: (event) => recordFacts(event),
  });
