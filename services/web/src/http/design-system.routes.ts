import { Router, type Request } from 'express';
import { z } from 'zod';
import { LANGUAGES, type Translate } from '../i18n';
import type { FormError, FormState } from './views';

const ROLES = ['coach', 'employer-user', 'programme-manager'] as const;
const PROGRAMMES = ['a', 'b', 'c'] as const;
const FULL_NAME_MAX = 100;
const NOTES_MAX = 500;

const text = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().default(''));
const list = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string()),
);

const ExampleQuery = z.object({
  fullName: text,
  email: text,
  role: text,
  programmeIds: list,
  language: text,
  notes: text,
  action: text,
});

/** Validates the example form like a real page would, with messages in the page's language. */
function validate(query: z.infer<typeof ExampleQuery>, t: Translate): FormError[] {
  const errors: FormError[] = [];
  if (!query.fullName) errors.push({ field: 'fullName', message: t('errors.required') });
  else if (query.fullName.length > FULL_NAME_MAX)
    errors.push({ field: 'fullName', message: t('errors.tooLong', { max: FULL_NAME_MAX }) });
  if (!z.email().safeParse(query.email).success)
    errors.push({ field: 'email', message: t('errors.email') });
  if (!(ROLES as readonly string[]).includes(query.role))
    errors.push({ field: 'role', message: t('errors.chooseOne') });
  if (!query.programmeIds.some((id) => (PROGRAMMES as readonly string[]).includes(id)))
    errors.push({ field: 'programmeIds', message: t('errors.chooseAtLeastOne') });
  if (query.notes.length > NOTES_MAX)
    errors.push({ field: 'notes', message: t('errors.tooLong', { max: NOTES_MAX }) });
  return errors;
}

function exampleForm(req: Request, t: Translate): { form: FormState; submitted: boolean } {
  const query = ExampleQuery.parse(req.query);
  const submitted = query.action === 'check';
  if (!submitted) return { form: { values: {}, errors: [] }, submitted };
  const { action: _action, ...values } = query;
  return { form: { values, errors: validate(query, t) }, submitted };
}

/**
 * GET /design-system: every macro of the design system in the page's language, and an example form
 * that submits to itself with GET (no data is kept, so no CSRF token is needed) to show errors.
 */
export function designSystemRoutes(): Router {
  const router = Router();
  router.get('/design-system', (req, res) => {
    const t = res.locals.t as Translate;
    const { form, submitted } = exampleForm(req, t);
    res.render('pages/design-system', {
      form,
      submitted,
      roleItems: ROLES.map((role) => ({ value: role, text: t(`roles.${role}`) })),
      languageItems: LANGUAGES.map(({ code, label }) => ({ value: code, text: label, lang: code })),
      passwordMin: 12,
      sampleDate: '2026-12-01',
    });
  });
  return router;
}
