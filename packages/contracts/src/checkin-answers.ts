import { z } from 'zod';

/**
 * The answers a check-in collects, shared by the check-in service (which validates and scores
 * them) and the web forms (which render them from the constants below). Codes and numbers only:
 * the labels live in the web app's locale files, and free text (a coach's notes) is never part of
 * the answers, so answers can be stored and shown without carrying a health detail by accident.
 * Every object is strict: an unknown key is refused rather than silently kept.
 */

/** Every scale runs 1 (worst) .. 5 (best); the same direction everywhere, so scoring is uniform. */
export const SCALE_MIN = 1;
export const SCALE_MAX = 5;
export const Scale = z.number().int().min(SCALE_MIN).max(SCALE_MAX);
export type Scale = z.infer<typeof Scale>;

/** Whether the accommodations agreed at confirmation are in place; 'none-agreed' skips the item. */
export const ACCOMMODATION_IN_PLACE = ['yes', 'partly', 'no', 'none-agreed'] as const;
export const AccommodationsInPlace = z.enum(ACCOMMODATION_IN_PLACE);
export type AccommodationsInPlace = z.infer<typeof AccommodationsInPlace>;

export const WAGE_CHANGES = ['none', 'up', 'down'] as const;
export const WageChange = z.enum(WAGE_CHANGES);
export type WageChange = z.infer<typeof WageChange>;

/** Hours are asked in half-hour steps (the form's `step`), up to the same 80 a contract allows. */
export const HOURS_LAST_WEEK_MAX = 80;
export const HOURS_STEP = 0.5;
export const HoursLastWeek = z
  .number()
  .min(0)
  .max(HOURS_LAST_WEEK_MAX)
  .refine((hours) => Number.isInteger(hours / HOURS_STEP), {
    message: `hours in steps of ${HOURS_STEP} (half an hour)`,
  });

/** Absence and lateness are counted in days over the last two weeks: at most one working week's 7. */
export const DAYS_LAST_TWO_WEEKS_MAX = 7;
const DaysLastTwoWeeks = z.number().int().min(0).max(DAYS_LAST_TWO_WEEKS_MAX);

/** Job stability: still employed, hours and wage as agreed, attendance. */
export const StabilityAnswers = z
  .object({
    stillEmployed: z.boolean(),
    hoursLastWeek: HoursLastWeek,
    /** Days absent in the last two weeks. */
    absenceDays: DaysLastTwoWeeks,
    /** Days late in the last two weeks. */
    lateDays: DaysLastTwoWeeks,
    wageChange: WageChange,
  })
  .strict();
export type StabilityAnswers = z.infer<typeof StabilityAnswers>;

/** Professional adaptation: copes with tasks, relation with the supervisor, accommodations work. */
export const ProfessionalAnswers = z
  .object({
    copesWithTasks: Scale,
    supervisorRelation: Scale,
    accommodationsInPlace: AccommodationsInPlace,
  })
  .strict();
export type ProfessionalAnswers = z.infer<typeof ProfessionalAnswers>;

/** Social adaptation: relations with co-workers, inclusion, transport, wellbeing. */
export const SocialAnswers = z
  .object({
    coworkerRelations: Scale,
    feelsIncluded: Scale,
    transportProblem: z.boolean(),
    wellbeing: Scale,
  })
  .strict();
export type SocialAnswers = z.infer<typeof SocialAnswers>;

export const SatisfactionAnswers = z.object({ satisfaction: Scale }).strict();
export type SatisfactionAnswers = z.infer<typeof SatisfactionAnswers>;

/** The participant's self check-in: every section, since the link form asks them all. */
export const ParticipantAnswers = z
  .object({
    stability: StabilityAnswers,
    professional: ProfessionalAnswers,
    social: SocialAnswers,
    satisfaction: Scale,
  })
  .strict();
export type ParticipantAnswers = z.infer<typeof ParticipantAnswers>;

/** The supervisor's short check-in: what an employer can see from the workplace. */
export const SupervisorAnswers = z
  .object({
    attendance: Scale,
    punctuality: Scale,
    taskPerformance: Scale,
    relations: Scale,
    accommodationsWorking: AccommodationsInPlace,
    /** The supervisor is worried about the placement and wants the coach to get in touch. */
    concern: z.boolean(),
    hoursLastWeek: HoursLastWeek.optional(),
  })
  .strict();
export type SupervisorAnswers = z.infer<typeof SupervisorAnswers>;

/**
 * What a coach records: the participant's sections, each optional, because a short call may cover
 * only some of them (a section is answered whole or not at all).
 */
export const CoachAnswers = z
  .object({
    stability: StabilityAnswers.optional(),
    professional: ProfessionalAnswers.optional(),
    social: SocialAnswers.optional(),
    satisfaction: Scale.optional(),
  })
  .strict();
export type CoachAnswers = z.infer<typeof CoachAnswers>;

/** How a coach reached the participant; web links are the participant's and supervisor's own. */
export const CONTACT_TYPES = ['visit', 'phone', 'message'] as const;
export const ContactType = z.enum(CONTACT_TYPES);
export type ContactType = z.infer<typeof ContactType>;
