import express, { type Express, type RequestHandler, type Response } from 'express';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import {
  directionOf,
  formattersFor,
  LANGUAGE_COOKIE,
  LANGUAGES,
  negotiateLocale,
  readCookie,
  translatorFor,
  type Locale,
} from '../i18n';

/** Works from src/http (jest, tsx) and dist/http alike. */
export const VIEWS_DIR = path.join(__dirname, '../../views');
export const PUBLIC_DIR = path.join(__dirname, '../../public');
/** Where `staticAssets()` is mounted. */
export const STATIC_PREFIX = '/static';

const isProduction = () => process.env.NODE_ENV === 'production';

export type FieldValue = string | string[];
export interface FormError {
  field: string;
  message: string;
}
export interface FormState {
  values: Record<string, FieldValue>;
  errors: FormError[];
}

/** The id of a field's input (and of its first checkbox or radio): `user.email` -> `user-email`. */
export function fieldId(name: string): string {
  return String(name).replace(/\W/g, '-');
}

/** A field's value: the one given to the macro, else the one in `form.values`, else ''. */
export function fieldValue(
  form: Partial<FormState> | undefined,
  name: string,
  given?: FieldValue | null,
): FieldValue {
  if (given !== undefined && given !== null) return given;
  return form?.values?.[name] ?? '';
}

/** A field's error message: the one given to the macro, else the first for it in `form.errors`. */
export function fieldError(
  form: Partial<FormState> | undefined,
  name: string,
  given?: string | null,
): string | undefined {
  if (given) return given;
  return form?.errors?.find((error) => error.field === name)?.message;
}

/**
 * Whether a checkbox, radio or option is chosen: by the value given to the macro, else by
 * `form.values` once the form has been submitted, else by the item's own `checked`.
 */
export function choiceChecked(
  form: Partial<FormState> | undefined,
  name: string,
  given: FieldValue | null | undefined,
  item: { value: unknown; checked?: boolean; selected?: boolean },
): boolean {
  if (given !== undefined && given !== null) return isChosen(given, item.value);
  const values = form?.values;
  if (values && Object.prototype.hasOwnProperty.call(values, name)) {
    return isChosen(values[name], item.value);
  }
  return Boolean(item.checked ?? item.selected);
}

/** Whether an option is chosen: `current` is one value or a list of values. */
export function isChosen(current: unknown, value: unknown): boolean {
  const wanted = String(value);
  return Array.isArray(current) ? current.map(String).includes(wanted) : String(current) === wanted;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

/**
 * A translated sentence as HTML with the given params (names, job titles) each in its own `<bdi>`:
 * a name in the other script (a Latin name in an Arabic sentence, or the reverse) then keeps its
 * own direction and does not reorder the words around it. Everything is escaped but the `<bdi>`s.
 */
export function tIsolated(
  t: (key: string, params?: Record<string, unknown>) => string,
  key: string,
  params: Record<string, unknown>,
  isolate: readonly string[],
): nunjucks.runtime.SafeString {
  const marker = (i: number) => `\u0000${i}\u0000`;
  const marked = { ...params };
  isolate.forEach((name, i) => {
    marked[name] = marker(i);
  });
  let html = escapeHtml(t(key, marked));
  isolate.forEach((name, i) => {
    const value = escapeHtml(String(params[name] ?? ''));
    html = html.split(marker(i)).join(`<bdi>${value}</bdi>`);
  });
  return new nunjucks.runtime.SafeString(html);
}

/**
 * A name or job title inside a plain-text sentence (a page's <title>, where no `<bdi>` can go),
 * between Unicode's isolate marks: the same effect as `<bdi>`.
 */
export const isolated = (text: string) => `\u2068${text}\u2069`;

const fingerprints = new Map<string, string>();

/** `/static/css/sanad.css?v=<content hash>`, so production can cache static files for a year. */
export function asset(urlPath: string): string {
  if (!urlPath.startsWith(`${STATIC_PREFIX}/`)) return urlPath;
  let version = isProduction() ? fingerprints.get(urlPath) : undefined;
  if (version === undefined) {
    try {
      const file = path.join(PUBLIC_DIR, urlPath.slice(STATIC_PREFIX.length));
      version = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
    } catch {
      version = '';
    }
    fingerprints.set(urlPath, version);
  }
  return version ? `${urlPath}?v=${version}` : urlPath;
}

/** nunjucks on `views/`, autoescaping, as the app's view engine (`res.render('pages/x')`). */
export function configureViews(app: Express): nunjucks.Environment {
  const noCache = !isProduction();
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS_DIR, { noCache }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addGlobal('fieldId', fieldId);
  env.addGlobal('fieldValue', fieldValue);
  env.addGlobal('fieldError', fieldError);
  env.addGlobal('isChosen', isChosen);
  env.addGlobal('choiceChecked', choiceChecked);
  env.addGlobal('asset', asset);
  env.addGlobal('tIsolated', tIsolated);
  env.express(app);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'njk');
  app.set('view cache', !noCache);
  return env;
}

/** Sets the locale-dependent locals every template uses. Call again if the locale changes. */
export function setLocaleLocals(res: Response, locale: Locale, currentPath: string): void {
  res.locals.locale = locale;
  res.locals.dir = directionOf(locale);
  res.locals.t = translatorFor(locale);
  res.locals.fmt = formattersFor(locale);
  res.locals.languages = LANGUAGES;
  res.locals.path = currentPath;
  res.setHeader('Content-Language', locale);
}

/**
 * Chooses the language (the `lang` cookie, then a `?lang=` link hint, then `res.locals.user?.locale`,
 * then Accept-Language)
 * and sets `locale`, `dir`, `t`, `fmt`, `languages` and `path` on `res.locals`. Mount it after the
 * middleware that sets `res.locals.user`, so a signed-in person's saved language counts.
 */
export function localeMiddleware(): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user as { locale?: string | null } | null | undefined;
    const locale = negotiateLocale({
      cookie: readCookie(req.headers.cookie, LANGUAGE_COOKIE),
      linkHint: req.query.lang,
      userLocale: user?.locale,
      acceptLanguage: req.headers['accept-language'],
    });
    res.vary('Accept-Language');
    res.vary('Cookie');
    setLocaleLocals(res, locale, req.originalUrl);
    next();
  };
}

/** Serves `public/` (mount at `/static`); in production with a year's cache (URLs carry a hash). */
export function staticAssets(): RequestHandler {
  const production = isProduction();
  return express.static(PUBLIC_DIR, {
    index: false,
    fallthrough: true,
    maxAge: production ? '365d' : 0,
    immutable: production,
  });
}
