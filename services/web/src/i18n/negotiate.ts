import { DEFAULT_LOCALE, isLocale, type Locale } from './locales';

export interface LocaleSignals {
  /** The `lang` cookie set by the language switch: an explicit choice on this device. */
  cookie?: string | undefined;
  /** `?lang=` on a link we sent (a mail in the recipient's language opens the page in it). */
  linkHint?: unknown;
  /** The locale saved on the signed-in user's account. */
  userLocale?: string | null | undefined;
  /** The browser's Accept-Language header. */
  acceptLanguage?: string | undefined;
}

/**
 * The language to answer in: an explicit choice on this device (cookie) first, then the language
 * of the link followed, then the account's saved language, then the browser's preference, then
 * English.
 */
export function negotiateLocale({
  cookie,
  linkHint,
  userLocale,
  acceptLanguage,
}: LocaleSignals): Locale {
  if (isLocale(cookie)) return cookie;
  if (typeof linkHint === 'string' && isLocale(linkHint)) return linkHint;
  if (isLocale(userLocale)) return userLocale;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}

/** The supported locale the browser ranks highest (by q, then by order), if any. */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      const primary = tag.trim().toLowerCase().split('-')[0];
      return { primary, quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0 && isLocale(entry.primary))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  const best = ranked[0]?.primary;
  return isLocale(best) ? best : undefined;
}
