import { z } from 'zod';
import { ConsentFlags, Id, IsoDateTime } from '@sanad/contracts';
import { AuditEntryView } from '@sanad/service-kit';
import { CONSENT_PURPOSES, DISABILITY_CATEGORIES, LANGUAGES } from '../domain/participant';
import { ListLimit, PlacementView } from './placements.schemas';

/** An international number, E.164-ish: `+` and 8 to 15 digits; spaces and dashes are dropped. */
export const Phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, 'an international number such as +968 9123 4567'));

/** POST /participants. Unknown fields are refused, not ignored. */
export const RegisterParticipantBody = z
  .object({
    fullName: z.string().trim().min(1).max(200),
    phone: Phone.optional(),
    email: z.email().max(254).optional(),
    preferredLanguage: z.enum(LANGUAGES),
    disabilityCategory: z.enum(DISABILITY_CATEGORIES).optional(),
    accommodationNeeds: z.string().trim().min(1).max(1000).optional(),
    programmeId: Id,
    coachId: Id,
    consents: ConsentFlags,
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.disabilityCategory !== undefined && !body.consents.reportingByCategory) {
      ctx.addIssue({
        code: 'custom',
        path: ['disabilityCategory'],
        message: 'kept only when the reportingByCategory consent is granted',
        params: { code: 'consent-required' },
      });
    }
  });
export type RegisterParticipantBody = z.infer<typeof RegisterParticipantBody>;

/**
 * PUT /participants/:participantId: corrections to the record, decided on `version`, at least one.
 * A field left out stays; null removes an optional one. A disability category needs the
 * reportingByCategory consent (checked against the stored consents: 400 on disabilityCategory).
 */
export const EditParticipantBody = z
  .object({
    version: z.number().int().min(1),
    fullName: z.string().trim().min(1).max(200).optional(),
    phone: Phone.nullable().optional(),
    email: z.email().max(254).nullable().optional(),
    preferredLanguage: z.enum(LANGUAGES).optional(),
    accommodationNeeds: z.string().trim().min(1).max(1000).nullable().optional(),
    disabilityCategory: z.enum(DISABILITY_CATEGORIES).nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), {
    message:
      'name at least one of fullName, phone, email, preferredLanguage, accommodationNeeds, ' +
      'disabilityCategory',
    params: { code: 'nothing-changed' },
    // An unknown field is reported on its own, not also as "nothing to change".
    when: (payload) => payload.issues.length === 0,
  });
export type EditParticipantBody = z.infer<typeof EditParticipantBody>;

/** PUT /participants/:participantId/consents: the consents to give or withdraw, at least one. */
export const ChangeConsentsBody = ConsentFlags.partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'name at least one of followUp, employerContact, reportingByCategory',
    // An unknown field is reported on its own, not also as "no consent named".
    when: (payload) => payload.issues.length === 0,
  });
export type ChangeConsentsBody = z.infer<typeof ChangeConsentsBody>;

/**
 * POST /participants/:participantId/erasure. No reason in words: the audit log holds ids and fixed
 * words only, and the why is the request's access purpose (such as data-subject-request).
 */
export const ErasureBody = z.object({ mode: z.enum(['pseudonymise', 'erase']) }).strict();
export type ErasureBody = z.infer<typeof ErasureBody>;

/**
 * PUT /participants/:participantId/coach: the coach whose caseload the participant (and their
 * placements that have not ended) moves to; `expectedVersion`, if given, the participant's version
 * the caller decided on (409 if it changed since).
 */
export const ReassignCoachBody = z
  .object({
    coachId: Id,
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();
export type ReassignCoachBody = z.infer<typeof ReassignCoachBody>;

export const ParticipantIdParam = z.object({ participantId: Id });

/** GET /participants: the newest first, `limit` of them (1 to 100, 50 if not said). */
export const ListParticipantsQuery = z
  .object({
    limit: ListLimit,
    status: z.enum(['active', 'pseudonymised', 'erased']).optional(),
    programmeId: Id.optional(),
    /** One coach's caseload (within what the caller may see). */
    coachId: Id.optional(),
  })
  .strict();

const PARTICIPANT_STATUSES = ['active', 'pseudonymised', 'erased'] as const;

const ConsentView = z.object({
  granted: z.boolean(),
  changedAt: IsoDateTime,
  /** The user who recorded it. */
  changedBy: z.string(),
});

/**
 * A participant's whole record, for those who may see it. The personal fields are absent once
 * pseudonymised; an erased participant is a tombstone of ids, code, status and dates.
 */
export const ParticipantView = z
  .object({
    id: Id,
    code: z.string(),
    status: z.enum(PARTICIPANT_STATUSES),
    programmeId: Id,
    coachId: Id,
    fullName: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    preferredLanguage: z.enum(LANGUAGES).optional(),
    disabilityCategory: z.enum(DISABILITY_CATEGORIES).optional(),
    accommodationNeeds: z.string().optional(),
    consents: z.record(z.enum(CONSENT_PURPOSES), ConsentView).optional(),
    version: z.number().int().min(1),
    createdAt: IsoDateTime.optional(),
    updatedAt: IsoDateTime.optional(),
    pseudonymisedAt: IsoDateTime.optional(),
    erasedAt: IsoDateTime.optional(),
  })
  .meta({ id: 'Participant' });
export type ParticipantView = z.infer<typeof ParticipantView>;

/** What a list shows: no names, no contact details, no disability. */
export const ParticipantSummaryView = ParticipantView.pick({
  id: true,
  code: true,
  programmeId: true,
  coachId: true,
  status: true,
}).meta({ id: 'ParticipantSummary' });
export type ParticipantSummaryView = z.infer<typeof ParticipantSummaryView>;

/** GET /participants/:participantId/export: everything the service holds about the participant. */
export const ParticipantExportView = z.object({
  exportedAt: IsoDateTime,
  participant: ParticipantView,
  placements: z.array(PlacementView),
  /** Every audit record about the participant or one of their placements, this export included. */
  audit: z.array(AuditEntryView),
});
