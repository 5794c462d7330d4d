import type { z } from 'zod';

export interface FormError {
  /** The field's name; its input's id is `fieldId(field)`, where the error summary links. */
  field: string;
  message: string;
}

export interface FormState {
  values: Record<string, unknown>;
  errors: FormError[];
}

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export const fieldId = (field: string) => field.replace(/\W/g, '-');

/**
 * Zod issues as messages a person can read, in their language. Schemas give i18n keys as messages
 * (`errors.required`, or a page's own `employers.errors.needHr`); issues without one get a key
 * from their code.
 */
export function formErrors(error: z.ZodError, t: Translate): FormError[] {
  const seen = new Set<string>();
  const errors: FormError[] = [];
  for (const issue of error.issues) {
    // a wrong item of a list (checkboxes) is an error of the list: its first box takes the focus
    const path = issue.path.map(String);
    while (path.length > 1 && /^\d+$/.test(path[path.length - 1] as string)) path.pop();
    const field = path.join('.') || 'form';
    if (seen.has(field)) continue; // one message per field, the first
    seen.add(field);
    errors.push({ field, message: t(messageKey(issue), paramsOf(issue)) });
  }
  return errors;
}

/** An i18n key of an error message: `errors.<name>` or an area's own `<area>.errors.<name>`. */
const ERROR_KEY = /^(\w+\.)?errors\.\w+$/;

function messageKey(issue: z.core.$ZodIssue): string {
  if (ERROR_KEY.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      return 'errors.tooShort';
    case 'too_big':
      return 'errors.tooLong';
    case 'invalid_format':
      return issue.format === 'email' ? 'errors.email' : 'errors.format';
    case 'invalid_value':
      return 'errors.chooseOne';
    default:
      return 'errors.required';
  }
}

function paramsOf(issue: z.core.$ZodIssue): Record<string, unknown> {
  if (issue.code === 'too_small') return { min: Number(issue.minimum) };
  if (issue.code === 'too_big') return { max: Number(issue.maximum) };
  return {};
}

/** Parses a submitted form; on failure, the errors and what was typed, to show the form again. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  t: Translate,
): { ok: true; data: z.infer<S> } | { ok: false; form: FormState } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, form: { values: echo(body), errors: formErrors(result.error, t) } };
}

/** What to put back in the form: everything but passwords and the CSRF token. */
export function echo(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body).filter(([k]) => !/password/i.test(k) && k !== '_csrf'),
  );
}

export const emptyForm = (values: Record<string, unknown> = {}): FormState => ({
  values,
  errors: [],
});

/**
 * A service's 400 problems (dotted paths, English messages) as form errors: each on its form field
 * (the first part of the path), with a message in the person's language.
 */
export function formErrorsFromService(
  problems: readonly { path: string }[],
  t: Translate,
): FormError[] {
  const fields = [...new Set(problems.map((p) => p.path.split('.')[0] || 'form'))];
  return fields.map((field) => ({ field, message: t('errors.format') }));
}

const ARABIC_LETTERS = /[\u0600-\u06ff]/;

/** Whether a message a service wrote is in the page's language (the script tells). */
export const inLanguage = (message: string, locale: 'ar' | 'en') =>
  locale === 'ar' ? ARABIC_LETTERS.test(message) : !ARABIC_LETTERS.test(message);

/**
 * A service's 400 problems as the errors of one form: each on the form field `fieldOf` names (a
 * path that is no visible field, such as a hidden id or the version, must land on a field the
 * form has, so that the summary's link leads somewhere), one per field, with the service's own
 * message when it wrote it in the page's language (it does when asked in Accept-Language), else
 * `fallback`'s message for that field.
 */
export function errorsOfService(
  problems: readonly { path: string; message?: unknown }[],
  options: {
    fieldOf: (path: string) => string;
    fallback: (field: string) => string;
    locale: 'ar' | 'en';
  },
): FormError[] {
  const errors: FormError[] = [];
  for (const problem of problems) {
    const field = options.fieldOf(problem.path);
    if (errors.some((e) => e.field === field)) continue;
    const given = typeof problem.message === 'string' ? problem.message.trim() : '';
    const message = given && inLanguage(given, options.locale) ? given : options.fallback(field);
    errors.push({ field, message });
  }
  return errors;
}
