import { z } from 'zod';
import { CONSENT_PURPOSES, DISABILITY_CATEGORIES } from '@sanad/contracts';

/** Checkboxes arrive as nothing, one value or several: always a list. */
const checked = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(CONSENT_PURPOSES, 'errors.chooseOne')).max(CONSENT_PURPOSES.length),
);
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max, 'errors.tooLong').optional(),
  );

export const consentsFrom = (list: readonly string[]) =>
  Object.fromEntries(CONSENT_PURPOSES.map((c) => [c, list.includes(c)])) as Record<
    (typeof CONSENT_PURPOSES)[number],
    boolean
  >;

/** A coach (or manager, or admin) registers a participant; fields in the order the form shows. */
export const RegisterParticipantForm = z
  .object({
    fullName: z.string().trim().min(1, 'errors.nameRequired').max(200, 'errors.tooLong'),
    phone: z.preprocess(
      (v) => (typeof v === 'string' ? v.replace(/[\s-]/g, '') || undefined : v),
      z
        .string()
        .regex(/^\+[1-9]\d{7,14}$/, 'errors.phone')
        .optional(),
    ),
    email: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.string().trim().max(254).pipe(z.email('errors.email')).optional(),
    ),
    preferredLanguage: z.enum(['ar', 'en'], 'errors.chooseLanguage'),
    programmeId: z.uuid('errors.chooseProgramme'),
    coachId: z.uuid('errors.chooseCoach'),
    consents: checked,
    disabilityCategory: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(DISABILITY_CATEGORIES, 'errors.chooseOne').optional(),
    ),
    accommodationNeeds: optionalText(1000),
    idempotencyKey: z.uuid(),
  })
  .refine((f) => f.disabilityCategory === undefined || f.consents.includes('reportingByCategory'), {
    path: ['disabilityCategory'],
    message: 'errors.categoryNeedsConsent',
  });

export const ConsentsForm = z.object({ consents: checked });

export const ErasureForm = z.object({
  mode: z.enum(['pseudonymise', 'erase'], 'errors.chooseOne'),
  confirm: z.literal('yes', 'errors.confirmErasure'),
});

export const ParticipantIdParam = z.object({ participantId: z.uuid() });

export const CoachForm = z.object({
  coachId: z.uuid('errors.chooseCoach'),
  version: z.coerce.number().int().min(0),
});
