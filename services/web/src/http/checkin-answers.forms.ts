import { randomUUID } from 'node:crypto';
import {
  ACCOMMODATION_IN_PLACE,
  CoachAnswers,
  CONTACT_TYPES,
  DAYS_LAST_TWO_WEEKS_MAX,
  HOURS_LAST_WEEK_MAX,
  HOURS_STEP,
  ParticipantAnswers,
  SCALE_MAX,
  SCALE_MIN,
  SupervisorAnswers,
  WAGE_CHANGES,
  type ContactType,
} from '@sanad/contracts';
import type { FieldProblem } from '@sanad/errors';
import { errorsOfService, type FormError, type FormState, type Translate } from './forms';
import { normaliseNumber, valuesToRetry } from './placement-forms';

/**
 * The check-in questions as plain HTML forms, the same for the participant's and supervisor's
 * signed links and for the coach's page: one field per answer, named by its path in the check-in
 * service's body (`stability.hoursLastWeek`, `social.wellbeing`, `attendance`), grouped in
 * sections. These functions turn what a form sends into the service's `answers` and the service's
 * 400 problems back into errors on those fields. The vocabulary is the contract's (api.md,
 * `@sanad/contracts` checkin-answers): scales 1..5 (1 worst, 5 best), each point with words.
 */

export const SCALE = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => SCALE_MIN + i);
/** The words of a scale's points (locale keys `checkins.scales.<kind>.1..5`). */
export const SCALE_KINDS = ['ease', 'quality', 'rating', 'extent', 'satisfaction'] as const;
export type ScaleKind = (typeof SCALE_KINDS)[number];

export { CONTACT_TYPES, type ContactType };
export const RESPONDENTS = ['coach', 'participant', 'supervisor'] as const;
export type Respondent = (typeof RESPONDENTS)[number];

export type Question =
  | { name: string; kind: 'scale'; scale: ScaleKind }
  | { name: string; kind: 'yes-no' }
  | { name: string; kind: 'choice'; options: readonly string[] }
  /** Hours (0..80, halves allowed) or whole days (0..7). */
  | { name: string; kind: 'hours' | 'days'; optional?: boolean };

export interface Section {
  /** Locale key part: `checkins.sections.<key>` is its legend. */
  key: string;
  /** Where its answers go in the body ('' = at the top). */
  path: string;
  questions: Question[];
}

/** The participant's check-in: 13 short questions in four sections (about two minutes). */
export const PARTICIPANT_SECTIONS: Section[] = [
  {
    key: 'stability',
    path: 'stability',
    questions: [
      { name: 'stability.stillEmployed', kind: 'yes-no' },
      { name: 'stability.hoursLastWeek', kind: 'hours' },
      { name: 'stability.absenceDays', kind: 'days' },
      { name: 'stability.lateDays', kind: 'days' },
      { name: 'stability.wageChange', kind: 'choice', options: WAGE_CHANGES },
    ],
  },
  {
    key: 'professional',
    path: 'professional',
    questions: [
      { name: 'professional.copesWithTasks', kind: 'scale', scale: 'ease' },
      { name: 'professional.supervisorRelation', kind: 'scale', scale: 'quality' },
      {
        name: 'professional.accommodationsInPlace',
        kind: 'choice',
        options: ACCOMMODATION_IN_PLACE,
      },
    ],
  },
  {
    key: 'social',
    path: 'social',
    questions: [
      { name: 'social.coworkerRelations', kind: 'scale', scale: 'quality' },
      { name: 'social.feelsIncluded', kind: 'scale', scale: 'extent' },
      { name: 'social.transportProblem', kind: 'yes-no' },
      { name: 'social.wellbeing', kind: 'scale', scale: 'quality' },
    ],
  },
  {
    key: 'satisfaction',
    path: '',
    questions: [{ name: 'satisfaction', kind: 'scale', scale: 'satisfaction' }],
  },
];

/** The supervisor's check-in: 7 questions in two sections. */
export const SUPERVISOR_SECTIONS: Section[] = [
  {
    key: 'work',
    path: '',
    questions: [
      { name: 'attendance', kind: 'scale', scale: 'rating' },
      { name: 'punctuality', kind: 'scale', scale: 'rating' },
      { name: 'taskPerformance', kind: 'scale', scale: 'rating' },
      { name: 'relations', kind: 'scale', scale: 'quality' },
    ],
  },
  {
    key: 'support',
    path: '',
    questions: [
      { name: 'accommodationsWorking', kind: 'choice', options: ACCOMMODATION_IN_PLACE },
      { name: 'concern', kind: 'yes-no' },
      { name: 'hoursLastWeek', kind: 'hours', optional: true },
    ],
  },
];

export const sectionsFor = (respondent: 'participant' | 'supervisor' | 'coach'): Section[] =>
  respondent === 'supervisor' ? SUPERVISOR_SECTIONS : PARTICIPANT_SECTIONS;

/** Locale key part of a question: `stability.hoursLastWeek` -> `stability_hoursLastWeek`. */
export const questionKey = (name: string) => name.replace(/\./g, '_');

const ERROR = (name: string) => `checkins.errors.${questionKey(name)}`;

type Parsed = { ok: true; value: unknown } | { ok: false } | { ok: true; value: undefined };

const blank = (v: unknown) => v === undefined || (typeof v === 'string' && v.trim() === '');

/** One answer as the service takes it, or not valid. */
function parseAnswer(question: Question, raw: unknown): Parsed {
  if (Array.isArray(raw)) return { ok: false }; // one answer per question
  const text = typeof raw === 'string' ? raw : '';
  switch (question.kind) {
    case 'scale': {
      const n = Number(text);
      return SCALE.includes(n) ? { ok: true, value: n } : { ok: false };
    }
    case 'yes-no':
      return text === 'yes' || text === 'no' ? { ok: true, value: text === 'yes' } : { ok: false };
    case 'choice':
      return question.options.includes(text) ? { ok: true, value: text } : { ok: false };
    case 'hours':
    case 'days': {
      const typed = normaliseNumber(text);
      if (!/^\d+(\.\d+)?$/.test(typed)) return { ok: false };
      const n = Number(typed);
      const fits =
        question.kind === 'hours'
          ? n <= HOURS_LAST_WEEK_MAX && Number.isInteger(n / HOURS_STEP)
          : Number.isInteger(n) && n <= DAYS_LAST_TWO_WEEKS_MAX;
      return fits ? { ok: true, value: n } : { ok: false };
    }
  }
}

const setPath = (target: Record<string, unknown>, path: string, value: unknown) => {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
};

/**
 * The answers a form sent, as the service's `answers`, or the errors (one per question, in the
 * form's order). With `sectionsOptional` (the coach's form) a section left wholly blank is left
 * out, and one begun must be finished: a short call may cover only some sections.
 */
export function parseAnswers(
  sections: readonly Section[],
  body: Record<string, unknown>,
  t: Translate,
  { sectionsOptional = false } = {},
): { ok: true; answers: Record<string, unknown> } | { ok: false; errors: FormError[] } {
  const answers: Record<string, unknown> = {};
  const errors: FormError[] = [];
  for (const section of sections) {
    const given = section.questions.filter((q) => !blank(body[q.name]));
    if (sectionsOptional && given.length === 0) continue;
    for (const question of section.questions) {
      const raw = body[question.name];
      if (blank(raw) && 'optional' in question && question.optional) continue;
      const parsed = parseAnswer(question, raw);
      if (!parsed.ok) errors.push({ field: question.name, message: t(ERROR(question.name)) });
      else setPath(answers, question.name, parsed.value);
    }
  }
  if (errors.length) return { ok: false, errors };
  // the contract's own schema has the last word (a form and the service never disagree)
  const schema = sectionsOptional
    ? CoachAnswers
    : sections === SUPERVISOR_SECTIONS
      ? SupervisorAnswers
      : ParticipantAnswers;
  const checked = schema.safeParse(answers);
  if (checked.success) return { ok: true, answers };
  const fields = fieldsOf(sections);
  for (const issue of checked.error.issues) {
    const field = answerFieldOf(issue.path.map(String).join('.'), fields, fields[0] as string);
    if (!errors.some((e) => e.field === field)) {
      errors.push({ field, message: t(ERROR(field)) });
    }
  }
  return { ok: false, errors };
}

/** Every question's field, in the form's order. */
export const fieldsOf = (sections: readonly Section[]) =>
  sections.flatMap((s) => s.questions.map((q) => q.name));

/**
 * The form field a path of the service's problems names: `answers.social.wellbeing` ->
 * `social.wellbeing`; one that is no question (the body, a header) lands on `fallback` (the
 * form's first field), so the error summary still leads somewhere.
 */
export function answerFieldOf(path: string, fields: readonly string[], fallback: string): string {
  const parts = path.split('.').filter((p) => p !== '' && p !== 'body' && p !== 'answers');
  for (let n = parts.length; n > 0; n -= 1) {
    const candidate = parts.slice(0, n).join('.');
    if (fields.includes(candidate)) return candidate;
  }
  return fallback;
}

/** The service's 400 problems on the form's fields, in the page's language (the shared mapper). */
export function answerErrorsFromService(
  problems: readonly FieldProblem[],
  fields: readonly string[],
  t: Translate,
  locale: 'ar' | 'en',
  /** Where a problem of no question lands (default: the first question). */
  fallbackField = fields[0] as string,
): FormError[] {
  const errors = errorsOfService(problems, {
    fieldOf: (path) => answerFieldOf(path, fields, fallbackField),
    fallback: (field) => (fields.includes(field) ? t(ERROR(field)) : t('errors.format')),
    locale,
  });
  const order = [fallbackField, ...fields];
  return errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** A new form: no answers, an idempotency key made now (pressing the button twice sends once). */
export const openAnswersForm = (values: Record<string, unknown> = {}): FormState => ({
  values: { ...values, idempotencyKey: randomUUID() },
  errors: [],
});

/** What was sent, to show again with its errors, with a new key (as the placement forms do). */
export const answersToRetry = valuesToRetry;

/** The idempotency key a form carries (made when it was shown), if it is one. */
export const idempotencyKeyOf = (body: Record<string, unknown>): string | undefined => {
  const key = body.idempotencyKey;
  return typeof key === 'string' && /^[\w-]{8,128}$/.test(key) ? key : undefined;
};

/** One question as the answers partial shows it. */
export interface QuestionView {
  kind: 'radios' | 'text';
  name: string;
  label: string;
  hint?: string;
  items?: { value: string; text: string }[];
  inline?: boolean;
  inputmode?: 'decimal' | 'numeric';
  width?: number;
  optional?: boolean;
}

/**
 * The sections with their words, for `partials/checkins/answers.njk`: a scale's every point has
 * its words (never a bare number), yes/no side by side, numbers as text fields with a numeric
 * keyboard (a number field would refuse Arabic-Indic digits in some browsers; we accept them).
 */
export function answerSectionsView(
  sections: readonly Section[],
  t: Translate,
  { optional = false } = {},
): { legend: string; hint?: string; questions: QuestionView[] }[] {
  return sections.map((section) => ({
    legend: t(`checkins.sections.${section.key}`),
    hint: optional ? t('checkins.sectionOptional') : undefined,
    questions: section.questions.map((q): QuestionView => {
      const key = questionKey(q.name);
      const label = t(`checkins.questions.${key}`);
      switch (q.kind) {
        case 'scale':
          return {
            kind: 'radios',
            name: q.name,
            label,
            items: SCALE.map((n) => ({
              value: String(n),
              text: t(`checkins.scales.${q.scale}.${n}`),
            })),
          };
        case 'yes-no':
          return {
            kind: 'radios',
            name: q.name,
            label,
            inline: true,
            items: [
              { value: 'yes', text: t('common.yes') },
              { value: 'no', text: t('common.no') },
            ],
          };
        case 'choice':
          return {
            kind: 'radios',
            name: q.name,
            label,
            items: q.options.map((o) => ({ value: o, text: t(`checkins.options.${key}.${o}`) })),
          };
        case 'hours':
          return {
            kind: 'text',
            name: q.name,
            label,
            hint: t('checkins.hints.hours'),
            inputmode: 'decimal',
            width: 3,
            optional: q.optional,
          };
        case 'days':
          return {
            kind: 'text',
            name: q.name,
            label,
            hint: t('checkins.hints.days'),
            inputmode: 'numeric',
            width: 3, // 2 characters wide is under the 44px a finger needs
          };
      }
    }),
  }));
}
