import { randomUUID } from 'node:crypto';
import {
  createEvent,
  PlacementRecordedV1,
  type PlacementRecordedV1 as Recorded,
} from '@sanad/contracts';

/**
 * A valid placement.recorded v1 event, built and checked by `createEvent`: fresh ids everywhere,
 * plausible terms, and any data field given in `data` in their place.
 */
export function placementRecordedEvent(
  data: Partial<Recorded['data']> = {},
  producer = 'test',
): Recorded {
  return createEvent(
    PlacementRecordedV1,
    {
      placementId: randomUUID(),
      participantId: randomUUID(),
      employerId: randomUUID(),
      programmeId: randomUUID(),
      coachId: randomUUID(),
      jobTitle: 'Warehouse assistant',
      startDate: '2026-02-01',
      hoursPerWeek: 30,
      wage: { amount: 300, currency: 'OMR', period: 'month' },
      ...data,
    },
    { producer, correlationId: randomUUID(), causationId: null },
    new Date(),
  );
}
