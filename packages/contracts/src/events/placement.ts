import { z } from 'zod';
import {
  AccommodationCode,
  ConsentFlags,
  HoursPerWeek,
  Id,
  IsoDate,
  IsoDateTime,
  Wage,
} from '../common';
import { defineEvent, type EventOf } from '../envelope';
import { Topics } from '../topics';

export const PlacementTerms = z
  .object({
    jobTitle: z.string().trim().min(1).max(120),
    startDate: IsoDate,
    hoursPerWeek: HoursPerWeek,
    wage: Wage,
  })
  .strict();
export type PlacementTerms = z.infer<typeof PlacementTerms>;

export const PlacementRecordedV1Data = PlacementTerms.extend({
  placementId: Id,
  participantId: Id,
  employerId: Id,
  programmeId: Id,
  coachId: Id,
  /**
   * The participant's consents when the placement was recorded; absent when the placement service
   * does not hold the participant. Later changes come as placement.consent-changed.
   */
  consents: ConsentFlags.optional(),
}).strict();

export const PlacementRecordedV1 = defineEvent({
  type: 'placement.recorded',
  version: 1,
  topic: Topics.placement,
  summary: 'A coach recorded a placement; a signed confirmation link went to the employer.',
  data: PlacementRecordedV1Data,
});
export type PlacementRecordedV1 = EventOf<typeof PlacementRecordedV1>;

export const PlacementConfirmedV1 = defineEvent({
  type: 'placement.confirmed',
  version: 1,
  topic: Topics.placement,
  summary: 'The employer confirmed the placement, possibly correcting its terms.',
  data: z
    .object({
      placementId: Id,
      terms: PlacementTerms,
      accommodations: z.array(AccommodationCode).max(20),
      confirmedBy: z.enum(['employer-link', 'employer-user', 'coach']),
    })
    .strict(),
});
export type PlacementConfirmedV1 = EventOf<typeof PlacementConfirmedV1>;

const change = <F extends string, S extends z.ZodType>(field: F, value: S) =>
  z.object({ field: z.literal(field), before: value, after: value }).strict();

export const PlacementChange = z.discriminatedUnion('field', [
  change('hoursPerWeek', HoursPerWeek),
  change('wage', Wage),
  change('jobTitle', z.string().trim().min(1).max(120)),
  change('supervisorId', Id.nullable()),
  change('accommodations', z.array(AccommodationCode).max(20)),
  change('startDate', IsoDate),
  /** The placement moved to another coach's caseload (with its participant). */
  change('coachId', Id),
]);
export type PlacementChange = z.infer<typeof PlacementChange>;

/** The change of one field among a placement.changed's changes, if that field changed. */
export function changeOf<F extends PlacementChange['field']>(
  changes: readonly PlacementChange[],
  field: F,
): Extract<PlacementChange, { field: F }> | undefined {
  return changes.find((c): c is Extract<PlacementChange, { field: F }> => c.field === field);
}

export const PlacementChangedV1 = defineEvent({
  type: 'placement.changed',
  version: 1,
  topic: Topics.placement,
  summary:
    'Hours, wage, role, supervisor, accommodations, start date or coach changed: before and after.',
  data: z
    .object({
      placementId: Id,
      changes: z.array(PlacementChange).min(1),
      effectiveDate: IsoDate,
    })
    .strict(),
});
export type PlacementChangedV1 = EventOf<typeof PlacementChangedV1>;

export const EndReason = z.enum(['resigned', 'dismissed', 'contract-ended', 'laid-off', 'other']);
export type EndReason = z.infer<typeof EndReason>;

export const PlacementEndedV1 = defineEvent({
  type: 'placement.ended',
  version: 1,
  topic: Topics.placement,
  summary: 'Employment ended: end date, reason and who initiated it.',
  data: z
    .object({
      placementId: Id,
      endDate: IsoDate,
      reason: EndReason,
      initiatedBy: z.enum(['participant', 'employer', 'mutual', 'other']),
    })
    .strict(),
});
export type PlacementEndedV1 = EventOf<typeof PlacementEndedV1>;

export const PlacementConsentChangedV1 = defineEvent({
  type: 'placement.consent-changed',
  version: 1,
  topic: Topics.placement,
  summary:
    "The participant's consents changed: one event per placement of theirs that has not ended, " +
    'so that every service honours them (flags only, never the reason or the person).',
  data: z
    .object({
      placementId: Id,
      participantId: Id,
      consents: ConsentFlags,
      changedAt: IsoDateTime,
    })
    .strict(),
});
export type PlacementConsentChangedV1 = EventOf<typeof PlacementConsentChangedV1>;

export const PlacementEventDefinitions = [
  PlacementRecordedV1,
  PlacementConfirmedV1,
  PlacementChangedV1,
  PlacementEndedV1,
  PlacementConsentChangedV1,
] as const;
