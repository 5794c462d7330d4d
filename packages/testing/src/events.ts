import { randomUUID } from 'node:crypto';
import {
  createEvent,
  PlacementChangedV1,
  PlacementConfirmedV1,
  PlacementConsentChangedV1,
  PlacementEndedV1,
  PlacementRecordedV1,
  type PlacementChange,
  type PlacementChangedV1 as Changed,
  type PlacementConfirmedV1 as Confirmed,
  type PlacementEndedV1 as Ended,
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

/**
 * A valid placement.confirmed v1 event for a recorded placement: its terms as recorded (the start
 * date, hours or job title given in `terms` in their place), the accommodations given (none if not).
 */
export function placementConfirmedEvent(
  recorded: Recorded,
  {
    terms = {},
    accommodations = [],
  }: {
    terms?: Partial<Confirmed['data']['terms']>;
    accommodations?: Confirmed['data']['accommodations'];
  } = {},
  producer = 'test',
): Confirmed {
  const { jobTitle, startDate, hoursPerWeek, wage } = recorded.data;
  return createEvent(
    PlacementConfirmedV1,
    {
      placementId: recorded.data.placementId,
      terms: { jobTitle, startDate, hoursPerWeek, wage, ...terms },
      accommodations,
      confirmedBy: 'employer-link',
    },
    { producer, correlationId: recorded.correlationId, causationId: recorded.eventId },
    new Date(),
  );
}

/** A valid placement.changed v1 event with the given changes, effective `effectiveDate` (today). */
export function placementChangedEvent(
  placementId: string,
  changes: PlacementChange[],
  effectiveDate = new Date().toISOString().slice(0, 10),
  producer = 'test',
): Changed {
  return createEvent(
    PlacementChangedV1,
    { placementId, changes, effectiveDate },
    { producer, correlationId: randomUUID(), causationId: null },
    new Date(),
  );
}

/** A valid placement.ended v1 event: resigned, on `endDate` (today). */
export function placementEndedEvent(
  placementId: string,
  endDate = new Date().toISOString().slice(0, 10),
  producer = 'test',
): Ended {
  return createEvent(
    PlacementEndedV1,
    { placementId, endDate, reason: 'resigned', initiatedBy: 'participant' },
    { producer, correlationId: randomUUID(), causationId: null },
    new Date(),
  );
}
