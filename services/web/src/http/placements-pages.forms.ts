import { z } from 'zod';
import { AccommodationCode, HoursPerWeek, PlacementTerms } from '@sanad/contracts';
import { ACCOMMODATION_CODES, normaliseNumber, WAGE_PERIODS } from './placement-forms';

export { ACCOMMODATION_CODES, PlacementIdParam, WAGE_PERIODS } from './placement-forms';

export const PLACEMENT_STATUSES = ['recorded', 'confirmed', 'ended'] as const;

/** How many placements one page of the list shows. */
export const PLACEMENTS_PAGE_SIZE = 25;

/** An empty field of a GET form is "no filter", not a bad value. */
const blankAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankAsUndefined, schema.optional());
const calendarDate = z.iso.date('placements.errors.date');

/**
 * The list's filters, from the query string. What does not parse is an error shown on the filter
 * form (a person typed a date by hand), never a 500 and never sent on to the service.
 */
export const PlacementFilters = z
  .object({
    coachId: optional(z.uuid('errors.chooseCoach')),
    employerId: optional(z.uuid('errors.chooseOne')),
    programmeId: optional(z.uuid('errors.chooseProgramme')),
    status: optional(z.enum(PLACEMENT_STATUSES, 'errors.chooseOne')),
    startFrom: optional(calendarDate),
    startTo: optional(calendarDate),
    cursor: optional(
      z
        .string()
        .max(512)
        .regex(/^[\w.:=-]+$/),
    ),
  })
  .refine((f) => !f.startFrom || !f.startTo || f.startFrom <= f.startTo, {
    path: ['startTo'],
    message: 'placements.errors.startToBeforeFrom',
  });
export type PlacementFilters = z.infer<typeof PlacementFilters>;

/** The query string of a list page: the filters that are set, and the cursor if one is given. */
export function listQuery(filters: Partial<PlacementFilters>, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const key of [
    'coachId',
    'employerId',
    'programmeId',
    'status',
    'startFrom',
    'startTo',
  ] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** Checkboxes arrive as nothing, one value or several: always a list. */
const accommodations = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(AccommodationCode, 'errors.chooseOne').max(ACCOMMODATION_CODES.length),
);

/** A number as people type it (`normaliseNumber`: Arabic-Indic and Persian digits too). */
const typedNumber = (message: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? normaliseNumber(v) : v),
    z
      .string(message)
      .regex(/^\d+(\.\d+)?$/, message)
      .transform(Number),
  );

/** The contract's bounds of a job title, so that the form refuses what the service would. */
const JOB_TITLE = PlacementTerms.shape.jobTitle;

/**
 * Recording a placement from a participant's page. The programme and the coach are the
 * participant's (hidden fields the service checks again); the supervisor is one of the chosen
 * employer's supervisors, shown once the employer is chosen.
 */
export const RecordPlacementForm = z.object({
  employerId: z.uuid('placements.errors.chooseEmployer'),
  jobTitle: z
    .string()
    .trim()
    .min(JOB_TITLE.minLength ?? 1, 'placements.errors.jobTitle')
    .max(JOB_TITLE.maxLength ?? 120, 'errors.tooLong'),
  startDate: calendarDate,
  hoursPerWeek: typedNumber('placements.errors.hours').pipe(
    z
      .number()
      .min(HoursPerWeek.minValue ?? 1, 'placements.errors.hours')
      .max(HoursPerWeek.maxValue ?? 80, 'placements.errors.hours'),
  ),
  wageAmount: typedNumber('placements.errors.wageAmount').pipe(
    z.number().min(0, 'placements.errors.wageAmount'),
  ),
  wageCurrency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'placements.errors.currency'),
  wagePeriod: z.enum(WAGE_PERIODS, 'errors.chooseOne'),
  supervisorId: optional(z.uuid('errors.chooseOne')),
  accommodations,
  idempotencyKey: z.uuid(),
});
export type RecordPlacementForm = z.infer<typeof RecordPlacementForm>;

/** The body of POST /placements from the form and the participant it is for. */
export function recordPlacementBody(
  form: RecordPlacementForm,
  participant: { id: string; programmeId: string; coachId: string },
) {
  return {
    participantId: participant.id,
    employerId: form.employerId,
    programmeId: participant.programmeId,
    coachId: participant.coachId,
    jobTitle: form.jobTitle,
    startDate: form.startDate,
    hoursPerWeek: form.hoursPerWeek,
    wage: { amount: form.wageAmount, currency: form.wageCurrency, period: form.wagePeriod },
    ...(form.supervisorId ? { supervisorId: form.supervisorId } : {}),
    accommodations: form.accommodations,
  };
}

/** The record form's visible fields, in the order it shows them (the error summary's order). */
export const RECORD_FIELDS = [
  'employerId',
  'jobTitle',
  'startDate',
  'hoursPerWeek',
  'wageAmount',
  'wageCurrency',
  'wagePeriod',
  'supervisorId',
  'accommodations',
] as const;

/**
 * The service's problem paths (`wage.amount`, `hoursPerWeek`) as this form's field names, so its
 * error summary links to the right input. What is not a field of the form (the participant, the
 * programme, the coach: hidden, taken from the participant) lands on the job title, the first
 * field the form always shows (the employer, once chosen, is a hidden field).
 */
export function recordFieldOf(path: string): string {
  const [first = '', second] = path.split('.').filter((p) => p !== '' && p !== 'body');
  const field =
    first === 'wage'
      ? ({ amount: 'wageAmount', currency: 'wageCurrency', period: 'wagePeriod' }[second ?? ''] ??
        'wageAmount')
      : first;
  return (RECORD_FIELDS as readonly string[]).includes(field) ? field : 'jobTitle';
}

/** Why the service could not mail a link (each has its own advice on the page). */
export const LINK_NOT_SENT_REASONS = [
  'no-consent',
  'no-contact',
  'mail-not-configured',
  'mail-failed',
] as const;

export const NOTICES = [
  'recorded',
  'recordedLinkSent',
  'recordedLinkNotSent',
  'linkSent',
  'linkNotSent',
] as const;

/** What the placement's page says after a redirect: which notice, to whom, until when. */
export const PlacementNotice = z.object({
  notice: z.enum(NOTICES).optional().catch(undefined),
  contactId: z.uuid().optional().catch(undefined),
  until: z.iso.datetime({ offset: true }).optional().catch(undefined),
  reason: z.enum(LINK_NOT_SENT_REASONS).optional().catch(undefined),
});
export type PlacementNotice = z.infer<typeof PlacementNotice>;

export interface EmployerLinkAnswer {
  sent: boolean;
  contactId?: string | null;
  expiresAt?: string | null;
  reason?: string;
}

/**
 * The query string of the redirect after a placement was recorded or its link (re)sent: ids and
 * a time only, never a name. A replayed record (same idempotency key) may come without the link's
 * news: the page then just says the placement is recorded.
 */
export function noticeQuery(
  after: 'recorded' | 'resent',
  link: EmployerLinkAnswer | undefined,
): string {
  const notice =
    after === 'recorded'
      ? link === undefined
        ? 'recorded'
        : link.sent
          ? 'recordedLinkSent'
          : 'recordedLinkNotSent'
      : link?.sent
        ? 'linkSent'
        : 'linkNotSent';
  const params = new URLSearchParams({ notice });
  if (link?.sent && link.contactId) params.set('contactId', link.contactId);
  if (link?.sent && link.expiresAt) params.set('until', link.expiresAt);
  if (link && !link.sent && link.reason) params.set('reason', link.reason);
  return params.toString();
}
