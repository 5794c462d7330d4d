import { z } from 'zod';

/** Identifiers are UUIDs everywhere: they say nothing about the person they stand for. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** A calendar date without time zone, as employers and coaches speak of it: 2026-03-01. */
export const IsoDate = z.iso.date();
export type IsoDate = z.infer<typeof IsoDate>;

export const IsoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof IsoDateTime>;

export const HoursPerWeek = z.number().min(1).max(80);

export const Wage = z
  .object({
    amount: z.number().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as OMR or USD'),
    period: z.enum(['hour', 'week', 'month']),
  })
  .strict();
export type Wage = z.infer<typeof Wage>;

/** Accommodations are codes, never free text, so that no health detail travels in an event. */
export const AccommodationCode = z.enum([
  'physical-access',
  'flexible-schedule',
  'assistive-technology',
  'screen-reader',
  'sign-language',
  'adjusted-tasks',
  'job-coach-on-site',
  'transport-support',
  'quiet-workspace',
  'other',
]);
export type AccommodationCode = z.infer<typeof AccommodationCode>;

export const Respondent = z.enum(['coach', 'participant', 'supervisor']);
export type Respondent = z.infer<typeof Respondent>;

export const Channel = z.enum(['visit', 'phone', 'message', 'web-link']);
export type Channel = z.infer<typeof Channel>;

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** Milestone day after the placement start: 7, 14, 30, ... by policy. */
export const MilestoneDay = z.number().int().min(0).max(3650);

/**
 * What a participant agreed to, per purpose: follow-up contacts with them, contacting their
 * employer's supervisor, and counting them by disability category in reports. Flags only: who
 * changed them and when stay with the participant record in the placement service.
 */
export const ConsentFlags = z
  .object({
    followUp: z.boolean(),
    employerContact: z.boolean(),
    reportingByCategory: z.boolean(),
  })
  .strict();
export type ConsentFlags = z.infer<typeof ConsentFlags>;

/**
 * The disability categories a programme may record, with the participant's consent to reporting
 * by category, and only in the placement service: never in an event.
 */
export const DISABILITY_CATEGORIES = [
  'physical',
  'visual',
  'hearing',
  'speech',
  'intellectual',
  'psychosocial',
  'autism',
  'learning',
  'chronic-illness',
  'multiple',
  'other',
] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];

/** What a participant may agree to, one consent each (the keys of ConsentFlags). */
export const CONSENT_PURPOSES = ['followUp', 'employerContact', 'reportingByCategory'] as const;

/**
 * An employer's sector of activity, as programmes report placements by it: codes, never free text,
 * so that reports group employers the same way everywhere.
 */
export const SECTORS = [
  'public-administration',
  'retail',
  'hospitality',
  'manufacturing',
  'health',
  'education',
  'logistics',
  'finance',
  'ict',
  'construction',
  'agriculture',
  'other',
] as const;
export const Sector = z.enum(SECTORS);
export type Sector = z.infer<typeof Sector>;

/** Where an employer works: Oman's eleven governorates, as codes (the web app names them). */
export const REGIONS = [
  'muscat',
  'dhofar',
  'musandam',
  'al-buraimi',
  'ad-dakhiliyah',
  'al-batinah-north',
  'al-batinah-south',
  'ash-sharqiyah-north',
  'ash-sharqiyah-south',
  'ad-dhahirah',
  'al-wusta',
] as const;
export const Region = z.enum(REGIONS);
export type Region = z.infer<typeof Region>;
