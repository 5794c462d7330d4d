import { z } from 'zod';
import { DISABILITY_CATEGORIES } from '@sanad/contracts';

/** An emptied field clears what was kept: null to the service, not "unchanged". */
const blankAsNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

/**
 * Correcting a participant's details (their code, programme and coach change elsewhere). Every
 * field is sent: an emptied optional one is removed from their record.
 */
export const EditParticipantForm = z.object({
  version: z.coerce.number().int().min(1),
  fullName: z.string().trim().min(1, 'errors.nameRequired').max(200, 'errors.tooLong'),
  phone: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s-]/g, '') || null : v),
    z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, 'errors.phone')
      .nullable(),
  ),
  email: z.preprocess(
    blankAsNull,
    z.string().trim().max(254, 'errors.tooLong').pipe(z.email('errors.email')).nullable(),
  ),
  preferredLanguage: z.enum(['ar', 'en'], 'errors.chooseLanguage'),
  disabilityCategory: z.preprocess(
    blankAsNull,
    z.enum(DISABILITY_CATEGORIES, 'errors.chooseOne').nullable(),
  ),
  accommodationNeeds: z.preprocess(
    blankAsNull,
    z.string().trim().max(1000, 'errors.tooLong').nullable(),
  ),
});
export type EditParticipantForm = z.infer<typeof EditParticipantForm>;
