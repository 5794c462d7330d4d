import { z } from 'zod';
import {
  AccommodationCode,
  EndReason,
  HoursPerWeek,
  Id,
  IsoDate,
  IsoDateTime,
  PlacementTerms,
  Wage,
} from '@sanad/contracts';

const Accommodations = z
  .array(AccommodationCode)
  .max(20)
  .meta({ description: 'Accommodations agreed with the employer (codes, never free text).' });

const SupervisorId = Id.nullable().meta({
  description:
    "The employer's supervisor contact for this job (an id among the employer's contacts).",
});

/** POST /placements: a coach records a placement. Unknown fields are refused, not ignored. */
export const RecordPlacementBody = PlacementTerms.extend({
  participantId: Id,
  employerId: Id,
  programmeId: Id,
  coachId: Id,
  supervisorId: SupervisorId.optional(),
  accommodations: Accommodations.optional(),
}).strict();
export type RecordPlacementBody = z.infer<typeof RecordPlacementBody>;

export const PlacementIdParam = z.object({ placementId: Id });

export const IdempotencyKey = z
  .string()
  .min(8, 'at least 8 characters')
  .max(128)
  .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');

/** `Idempotency-Key`: the same key with the same body answers the first result (200, not 201). */
export const IdempotencyHeader = z.object({
  'idempotency-key': IdempotencyKey.optional().meta({
    description:
      'Makes a retry safe: the same key with the same body answers what the first request made ' +
      '(200 instead of 201); with another body, 409.',
  }),
});

/** How many a list answers, newest first: 1 to 100, 50 if not said (a query string). */
export const ListLimit = z
  .string()
  .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1).max(100))
  .default(50)
  .meta({ description: 'How many, newest first: 1 to 100 (50 if not said).' });

const Version = z
  .number()
  .int()
  .min(1)
  .meta({ description: 'The version read: if the placement changed since, 409 STALE_VERSION.' });

/** POST /placements/:id/confirmation: the terms as the employer confirms them. */
export const ConfirmPlacementBody = z
  .object({
    version: Version,
    terms: PlacementTerms,
    accommodations: Accommodations,
    supervisorId: SupervisorId.optional(),
  })
  .strict();
export type ConfirmPlacementBody = z.infer<typeof ConfirmPlacementBody>;

/** POST /placements/:id/changes: only the fields that change (at least one). */
export const ChangePlacementBody = z
  .object({
    version: Version,
    effectiveDate: IsoDate.meta({ description: 'From when the change applies.' }),
    jobTitle: PlacementTerms.shape.jobTitle.optional(),
    hoursPerWeek: HoursPerWeek.optional(),
    wage: Wage.optional(),
    supervisorId: SupervisorId.optional(),
    accommodations: Accommodations.optional(),
  })
  .strict()
  .refine(
    (b) =>
      [b.jobTitle, b.hoursPerWeek, b.wage, b.supervisorId, b.accommodations].some(
        (v) => v !== undefined,
      ),
    {
      message: 'give at least one of jobTitle, hoursPerWeek, wage, supervisorId, accommodations',
      path: ['changes'],
      params: { code: 'nothing-changed' },
    },
  );
export type ChangePlacementBody = z.infer<typeof ChangePlacementBody>;

/** POST /placements/:id/ending: the end of the employment. */
export const EndPlacementBody = z
  .object({
    version: Version,
    endDate: IsoDate,
    reason: EndReason,
    initiatedBy: z.enum(['participant', 'employer', 'mutual', 'other']),
  })
  .strict();
export type EndPlacementBody = z.infer<typeof EndPlacementBody>;

/** `YYYY-MM-DD` in a query string. */
const QueryDay = IsoDate.optional();

/** GET /placements: the newest first, a page of `limit` (1 to 100, 50 if not said). */
export const ListPlacementsQuery = z
  .object({
    limit: ListLimit,
    cursor: z
      .string()
      .max(512)
      .optional()
      .meta({ description: "The previous page's `nextCursor`, for the next page." }),
    status: z.enum(['recorded', 'confirmed', 'ended']).optional(),
    programmeId: Id.optional(),
    participantId: Id.optional().meta({
      description: "One participant's placements (their history).",
    }),
    coachId: Id.optional(),
    employerId: Id.optional(),
    startFrom: QueryDay.meta({ description: 'Started on or after this day.' }),
    startTo: QueryDay.meta({ description: 'Started on or before this day.' }),
  })
  .strict();
export type ListPlacementsQuery = z.infer<typeof ListPlacementsQuery>;

/** A placement as the API shows it: ids and job facts. */
export const PlacementView = PlacementTerms.extend({
  id: Id,
  participantId: Id,
  employerId: Id,
  programmeId: Id,
  coachId: Id,
  supervisorId: Id.nullable(),
  accommodations: z.array(AccommodationCode),
  status: z.enum(['recorded', 'confirmed', 'ended']),
  version: z.number().int().min(1),
  recordedAt: IsoDateTime,
  confirmedAt: IsoDateTime.nullable(),
  ending: z
    .object({
      endDate: IsoDate,
      reason: EndReason,
      initiatedBy: z.enum(['participant', 'employer', 'mutual', 'other']),
    })
    .nullable(),
}).meta({ id: 'Placement' });
export type PlacementView = z.infer<typeof PlacementView>;

/** What became of the employer's signed link: mailed (to which contact, until when) or why not. */
export const EmployerLinkView = z
  .object({
    sent: z.boolean(),
    purpose: z.enum(['confirm-placement', 'report-change']),
    contactId: Id.optional(),
    expiresAt: IsoDateTime.optional(),
    reason: z.enum(['no-consent', 'no-contact', 'mail-not-configured', 'mail-failed']).optional(),
  })
  .meta({ id: 'EmployerLink' });

/** `X-Link-Secret`: the secret of a signed employer link (from the mailed URL), never in a path. */
export const LinkSecretHeader = z.object({
  'x-link-secret': z
    .string()
    .regex(/^[\w-]{20,100}$/, 'the secret from the link')
    .meta({ description: 'The secret part of the link the employer received by mail.' }),
});

/** What a link's form shows. */
export const OpenedLinkView = z.object({
  purpose: z.enum(['confirm-placement', 'report-change']),
  expiresAt: IsoDateTime,
  placement: PlacementView,
  employer: z.object({
    id: Id,
    name: z.string(),
    supervisors: z.array(z.object({ id: Id, fullName: z.string() })),
  }),
  participant: z.object({ fullName: z.string().nullable() }),
});
