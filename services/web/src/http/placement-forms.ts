import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccommodationCode, EndReason, HoursPerWeek } from '@sanad/contracts';
import { AppError, type FieldProblem } from '@sanad/errors';
import { echo, errorsOfService, type FormError, type FormState, type Translate } from './forms';

/**
 * The three forms about a placement's terms, shared by the employer's signed-link pages and the
 * pages of signed-in users: confirm the placement, report a change, report the end. Fields are
 * flat (`wageAmount`, not `wage.amount`) so that they work as plain HTML forms; these functions
 * turn them into the placement service's bodies and its answers back into form errors.
 */

/** A placement as the placement service shows it (what these forms read of it). */
export interface PlacementView {
  id: string;
  participantId: string;
  employerId: string;
  jobTitle: string;
  startDate: string;
  hoursPerWeek: number;
  wage: { amount: number; currency: string; period: WagePeriod };
  supervisorId: string | null;
  accommodations: AccommodationCode[];
  status: 'recorded' | 'confirmed' | 'ended';
  version: number;
  confirmedAt?: string | null;
  ending?: { endDate: string; reason: EndReason; initiatedBy: EndInitiator } | null;
}

export interface Supervisor {
  id: string;
  fullName: string;
}

export const ACCOMMODATION_CODES = AccommodationCode.options;
export const WAGE_PERIODS = ['hour', 'week', 'month'] as const;
export type WagePeriod = (typeof WAGE_PERIODS)[number];
export const END_REASONS = EndReason.options;
export const END_INITIATORS = ['participant', 'employer', 'mutual', 'other'] as const;
export type EndInitiator = (typeof END_INITIATORS)[number];

export type PlacementFormKind = 'confirm' | 'change' | 'end';

/** Each form's visible fields, in the order it shows them (the error summary's order). */
export const FORM_FIELDS: Record<PlacementFormKind, readonly string[]> = {
  confirm: [
    'jobTitle',
    'startDate',
    'hoursPerWeek',
    'wageAmount',
    'wageCurrency',
    'wagePeriod',
    'accommodations',
    'supervisorId',
  ],
  change: [
    'effectiveDate',
    'hoursPerWeek',
    'wageAmount',
    'wageCurrency',
    'wagePeriod',
    'jobTitle',
    'supervisorId',
    'accommodations',
  ],
  end: ['endDate', 'reason', 'initiatedBy'],
};

const ERROR = (field: string) => `placementForms.errors.${field}`;

/**
 * Arabic-Indic (٠١٢٣) and Persian (۰۱۲۳) digits as 0123, the Arabic decimal sign as a point, and
 * thousands separators dropped: people type numbers the way their keyboard gives them.
 */
export function normaliseNumber(text: string): string {
  return text
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, '.')
    .replace(/[,\u066c\s]/g, '');
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const numberField = (field: string, schema: z.ZodNumber) =>
  z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const text = normaliseNumber(v);
      if (text === '') return undefined;
      return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    },
    schema.refine(Number.isFinite, ERROR(field)),
  );

/**
 * A calendar day as YYYY-MM-DD: what a date control sends, or what a person types where there is
 * none, day first as in Oman (1/3/2026, 01-03-2026, 1.3.2026) or year first; any digits.
 */
export function normaliseDate(text: string): string {
  const typed = normaliseNumber(text);
  const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(typed);
  if (dayFirst) {
    const [, day = '', month = '', year = ''] = dayFirst;
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  const yearFirst = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(typed);
  if (yearFirst) {
    const [, year = '', month = '', day = ''] = yearFirst;
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  return typed;
}

const dateField = (field: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? normaliseDate(v) || undefined : v),
    z.iso.date(ERROR(field)),
  );

const textField = (field: string, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.string(ERROR(field)).trim().min(1, ERROR(field)).max(max, ERROR(field)),
  );

/** Checkboxes arrive as nothing, one value or several: always a list. */
const accommodations = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(ACCOMMODATION_CODES, ERROR('accommodations'))).max(ACCOMMODATION_CODES.length),
);

/** '' is "no supervisor". */
const supervisorId = z.preprocess(
  (v) => (v === undefined || v === '' ? null : v),
  z.uuid(ERROR('supervisorId')).nullable(),
);

const hoursPerWeek = numberField(
  'hoursPerWeek',
  z
    .number(ERROR('hoursPerWeek'))
    .min(HoursPerWeek.minValue ?? 1, ERROR('hoursPerWeek'))
    .max(HoursPerWeek.maxValue ?? 80, ERROR('hoursPerWeek')),
);
const wageAmount = numberField(
  'wageAmount',
  z.number(ERROR('wageAmount')).min(0, ERROR('wageAmount')).max(1_000_000_000, ERROR('wageAmount')),
);
const wageCurrency = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toUpperCase() || undefined : v),
  z.string(ERROR('wageCurrency')).regex(/^[A-Z]{3}$/, ERROR('wageCurrency')),
);
const wagePeriod = z.enum(WAGE_PERIODS, ERROR('wagePeriod'));
const version = z.coerce.number().int().min(0);
const idempotencyKey = z.uuid();

export const ConfirmForm = z.object({
  version,
  idempotencyKey,
  jobTitle: textField('jobTitle', 120),
  startDate: dateField('startDate'),
  hoursPerWeek,
  wageAmount,
  wageCurrency,
  wagePeriod,
  accommodations,
  supervisorId,
});
export type ConfirmForm = z.infer<typeof ConfirmForm>;

export const ChangeForm = z.object({
  version,
  idempotencyKey,
  effectiveDate: dateField('effectiveDate'),
  hoursPerWeek,
  wageAmount,
  wageCurrency,
  wagePeriod,
  jobTitle: textField('jobTitle', 120),
  supervisorId,
  accommodations,
});
export type ChangeForm = z.infer<typeof ChangeForm>;

export const EndForm = z.object({
  version,
  idempotencyKey,
  endDate: dateField('endDate'),
  reason: z.enum(END_REASONS, ERROR('reason')),
  initiatedBy: z.enum(END_INITIATORS, ERROR('initiatedBy')),
});
export type EndForm = z.infer<typeof EndForm>;

export const FORM_SCHEMAS = { confirm: ConfirmForm, change: ChangeForm, end: EndForm } as const;

/** A placement's path parameter. */
export const PlacementIdParam = z.object({ placementId: z.uuid() });

/** A field's message, in the page's language: our own keys, else a general one. */
function messageOf(issue: z.core.$ZodIssue, t: Translate): string {
  if (issue.message.startsWith('placementForms.')) return t(issue.message);
  return t(issue.code === 'invalid_value' ? 'errors.chooseOne' : 'errors.format');
}

/** Parses one of the forms; on failure the errors (one per field, in form order) and what was typed. */
export function parsePlacementForm<K extends PlacementFormKind>(
  kind: K,
  body: unknown,
  t: Translate,
): { ok: true; data: z.infer<(typeof FORM_SCHEMAS)[K]> } | { ok: false; form: FormState } {
  const result = FORM_SCHEMAS[kind].safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data as z.infer<(typeof FORM_SCHEMAS)[K]> };
  const errors: FormError[] = [];
  for (const issue of result.error.issues) {
    const field = fieldOf(issue.path.map(String).join('.'), kind);
    if (errors.some((e) => e.field === field)) continue;
    errors.push({ field, message: messageOf(issue, t) });
  }
  return { ok: false, form: { values: valuesToRetry(body), errors: sortByForm(errors, kind) } };
}

/**
 * What was typed, to show again after a refusal, with a new idempotency key: nothing was changed,
 * and the corrected form is another request (the service may remember the refused one's key).
 */
export const valuesToRetry = (body: unknown): Record<string, unknown> => ({
  ...echo(body),
  idempotencyKey: randomUUID(),
});

const sortByForm = (errors: FormError[], kind: PlacementFormKind) => {
  const order = FORM_FIELDS[kind];
  return [...errors].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
};

/**
 * The form field a path names: one of the form's own (`hoursPerWeek`), or a path of the service's
 * body (`terms.wage.amount` -> `wageAmount`, `accommodations.2` -> `accommodations`). Anything
 * else (the version, a header) lands on the form's first field, so the summary still leads there.
 */
export function fieldOf(path: string, kind: PlacementFormKind): string {
  const fields = FORM_FIELDS[kind];
  const parts = path
    .split('.')
    .filter((p) => p !== '' && p !== 'body' && p !== 'terms' && !/^\d+$/.test(p));
  let field = parts[0] ?? '';
  if (field === 'wage') {
    const part = parts[1] ?? 'amount';
    field = `wage${part.charAt(0).toUpperCase()}${part.slice(1)}`;
  }
  return fields.includes(field) ? field : (fields[0] as string);
}

/**
 * The placement service's 400 problems as form errors: each on its field, with the service's own
 * message when it wrote it in the page's language, else our message for that field.
 */
export function errorsFromService(
  problems: readonly FieldProblem[],
  kind: PlacementFormKind,
  t: Translate,
  locale: 'ar' | 'en',
): FormError[] {
  const errors = errorsOfService(problems, {
    fieldOf: (path) => fieldOf(path, kind),
    fallback: (field) => t(ERROR(field)),
    locale,
  });
  return sortByForm(errors, kind);
}

/** A placement's terms as form values (strings, as an HTML form holds them). */
function termValues(placement: PlacementView): Record<string, unknown> {
  return {
    version: String(placement.version),
    jobTitle: placement.jobTitle,
    startDate: placement.startDate,
    hoursPerWeek: String(placement.hoursPerWeek),
    wageAmount: String(placement.wage.amount),
    wageCurrency: placement.wage.currency,
    wagePeriod: placement.wage.period,
    accommodations: [...(placement.accommodations ?? [])],
    supervisorId: placement.supervisorId ?? '',
  };
}

/** YYYY-MM-DD of `now` in a time zone. */
export function calendarDay(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * A form as it opens: prefilled from the placement as it is now, with a new idempotency key made
 * here, so that pressing the button twice makes one change.
 */
export function openForm(
  kind: PlacementFormKind,
  placement: PlacementView,
  today: string,
): FormState {
  const key = randomUUID();
  const version = String(placement.version);
  switch (kind) {
    case 'confirm':
      return { values: { ...termValues(placement), idempotencyKey: key }, errors: [] };
    case 'change':
      return {
        values: { ...termValues(placement), idempotencyKey: key, effectiveDate: today },
        errors: [],
      };
    case 'end':
      return {
        values: { version, idempotencyKey: key, endDate: '', reason: '', initiatedBy: '' },
        errors: [],
      };
  }
}

/** The body of POST …/confirmation. */
export function confirmationBody(form: ConfirmForm) {
  return {
    version: form.version,
    terms: {
      jobTitle: form.jobTitle,
      startDate: form.startDate,
      hoursPerWeek: form.hoursPerWeek,
      wage: { amount: form.wageAmount, currency: form.wageCurrency, period: form.wagePeriod },
    },
    accommodations: form.accommodations,
    supervisorId: form.supervisorId,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * The body of POST …/changes: only what differs from the placement as it is now (the form opens
 * prefilled with it), or null when nothing does.
 */
export function changesBody(form: ChangeForm, current: PlacementView) {
  const body: Record<string, unknown> = {};
  if (form.hoursPerWeek !== current.hoursPerWeek) body.hoursPerWeek = form.hoursPerWeek;
  const wage = { amount: form.wageAmount, currency: form.wageCurrency, period: form.wagePeriod };
  if (
    wage.amount !== current.wage.amount ||
    wage.currency !== current.wage.currency ||
    wage.period !== current.wage.period
  ) {
    body.wage = wage;
  }
  if (form.jobTitle !== current.jobTitle) body.jobTitle = form.jobTitle;
  if (form.supervisorId !== (current.supervisorId ?? null)) body.supervisorId = form.supervisorId;
  if (!sameSet(form.accommodations, current.accommodations ?? [])) {
    body.accommodations = form.accommodations;
  }
  if (Object.keys(body).length === 0) return null;
  return { version: form.version, effectiveDate: form.effectiveDate, ...body };
}

/** The body of POST …/ending. */
export function endingBody(form: EndForm) {
  return {
    version: form.version,
    endDate: form.endDate,
    reason: form.reason,
    initiatedBy: form.initiatedBy,
  };
}

/**
 * The service request a submitted form makes, or why it makes none: a change form read from an
 * older version of the placement is stale, and one that changes nothing is sent back to the person.
 */
export function requestBodyFor(
  kind: PlacementFormKind,
  form: ConfirmForm | ChangeForm | EndForm,
  /** The placement as it is now: a change is what differs from it (the other forms need none). */
  current?: PlacementView,
): { ok: true; body: object } | { ok: false; why: 'stale' | 'nothing-changed' } {
  if (kind === 'confirm') return { ok: true, body: confirmationBody(form as ConfirmForm) };
  if (kind === 'end') return { ok: true, body: endingBody(form as EndForm) };
  if (!current) throw new Error('a change form needs the placement as it is now');
  if (current.version !== form.version) return { ok: false, why: 'stale' };
  const changes = changesBody(form as ChangeForm, current);
  return changes ? { ok: true, body: changes } : { ok: false, why: 'nothing-changed' };
}

/**
 * The supervisors to choose from: the employer's, and the placement's current one even if the
 * employer's list no longer names them (so that saving does not drop them unasked).
 */
export function supervisorChoices(
  supervisors: readonly Supervisor[],
  currentId: string | null,
  unnamed: string,
): Supervisor[] {
  if (!currentId || supervisors.some((s) => s.id === currentId)) return [...supervisors];
  return [...supervisors, { id: currentId, fullName: unnamed }];
}

/** A 409 from the service: the placement changed since the form was read (or is past it). */
export const isConflict = (error: unknown): boolean =>
  error instanceof AppError && (error.code === 'CONFLICT' || error.code === 'STALE_VERSION');
