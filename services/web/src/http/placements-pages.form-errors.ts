import type { z } from 'zod';
import { echo, formErrors, type FormState, type Translate } from './forms';

/** Message keys of these pages' own errors (`forms.ts` reads only keys under `errors.`). */
const OWN_KEY = /^(placements|employers|participantEdit)\.errors\./;

/**
 * `parseForm` for the staff pages: the same errors, one per field, except that a message given as
 * one of these pages' own keys (`employers.errors.needHr`) is shown as that message.
 */
export function parsePageForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  t: Translate,
): { ok: true; data: z.infer<S> } | { ok: false; form: FormState } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, form: { values: echo(body), errors: pageFormErrors(result.error, t) } };
}

export function pageFormErrors(error: z.ZodError, t: Translate) {
  const own = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    while (path.length > 1 && /^\d+$/.test(path[path.length - 1] as string)) path.pop();
    const field = path.join('.') || 'form';
    if (!own.has(field)) own.set(field, issue.message);
  }
  return formErrors(error, t).map((e) => {
    const key = own.get(e.field);
    return key && OWN_KEY.test(key) ? { ...e, message: t(key) } : e;
  });
}
