import type { Request, RequestHandler, Response } from 'express';
import { localPath } from '../domain/safe-redirect';
import { isLocale, type Locale } from './locales';

/** The cookie holding the language chosen with the language switch. */
export const LANGUAGE_COOKIE = 'lang';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Reads one cookie from a Cookie header without decoding anything else. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index < 0) continue;
    if (pair.slice(0, index).trim() !== name) continue;
    const raw = pair.slice(index + 1).trim();
    try {
      return decodeURIComponent(raw.replace(/^"(.*)"$/, '$1'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function setLanguageCookie(res: Response, locale: Locale, secure: boolean): void {
  res.cookie(LANGUAGE_COOKIE, locale, {
    path: '/',
    maxAge: ONE_YEAR_MS,
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}

export interface LanguageSwitchOptions {
  /** Whether the cookie is Secure (the app's COOKIE_SECURE). */
  secureCookies: boolean;
  /** Called with the chosen locale before redirecting, e.g. to save it on the signed-in account. */
  onChange?: (req: Request, res: Response, locale: Locale) => Promise<void> | void;
}

/**
 * POST /language from the layout's language switch (fields `lang`, `next`, `_csrf`): remembers the
 * choice in the `lang` cookie and goes back to `next` with 303. Needs a urlencoded body parser and
 * the app's CSRF check in front of it. Works without JavaScript.
 */
export function languageSwitchHandler(options: LanguageSwitchOptions): RequestHandler {
  return async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = localPath(body.next);
    if (isLocale(body.lang)) {
      setLanguageCookie(res, body.lang, options.secureCookies);
      await options.onChange?.(req, res, body.lang);
    }
    res.redirect(303, next);
  };
}
