import { randomUUID } from 'node:crypto';
import {
  createEvent,
  PlacementChangedV1,
  PlacementConsentChangedV1,
  PlacementRecordedV1,
  type PlacementChangedV1 as Changed,
  type PlacementConsentChangedV1 as ConsentChanged,
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

/**
 * A valid placement.consent-changed v1 event: fresh ids, every consent granted, changed now, and
 * any data field given in `data` in their place.
 */
export function placementConsentChangedEvent(
  data: Partial<ConsentChanged['data']> = {},
  producer = 'test',
): ConsentChanged {
  return createEvent(
    PlacementConsentChangedV1,
    {
      placementId: randomUUID(),
      participantId: randomUUID(),
      consents: { followUp: true, employerContact: true, reportingByCategory: true },
      changedAt: new Date().toISOString(),
      ...data,
    },
    { producer, correlationId: randomUUID(), causationId: null },
    new Date(),
  );
}

/**
 * A valid placement.changed v1 event moving a placement from one coach to another: fresh ids, the
 * coach change given in `coach` (fresh coaches if not), effective today, occurring `at` (now if
 * not), and any data field given in `data` in their place.
 */
export function placementCoachChangedEvent(
  {
    coach = {},
    at = new Date(),
    ...data
  }: Partial<Changed['data']> & { coach?: { before?: string; after?: string }; at?: Date } = {},
  producer = 'test',
): Changed {
  return createEvent(
    PlacementChangedV1,
    {
      placementId: randomUUID(),
      changes: [
        {
          field: 'coachId',
          before: coach.before ?? randomUUID(),
          after: coach.after ?? randomUUID(),
        },
      ],
      effectiveDate: at.toISOString().slice(0, 10),
      ...data,
    },
    { producer, correlationId: randomUUID(), causationId: null },
    at,
  );
}
