import { z } from 'zod';
import { ConsentFlags, Id } from '@sanad/contracts';
import { DISABILITY_CATEGORIES, LANGUAGES } from '../domain/participant';

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
      });
    }
  });
export type RegisterParticipantBody = z.infer<typeof RegisterParticipantBody>;

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
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().int().min(1).max(100))
      .default(50),
    status: z.enum(['active', 'pseudonymised', 'erased']).optional(),
    programmeId: Id.optional(),
    /** One coach's caseload (within what the caller may see). */
    coachId: Id.optional(),
  })
  .strict();
