/** The languages Sanad speaks, in the order they are offered. */
export const SUPPORTED_LOCALES = ['ar', 'en'] as const;

export type Locale = (typeof SUPPORTED_LOCALES)[number];

export type Direction = 'rtl' | 'ltr';

/** Used when nothing in the request says which language the person prefers. */
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, for the language switch (never translated). */
export const LANGUAGES: ReadonlyArray<{ code: Locale; label: string }> = [
  { code: 'ar', label: 'العربية' },
  { code: 'en', label: 'English' },
];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

export function directionOf(locale: Locale): Direction {
  return locale === 'ar' ? 'rtl' : 'ltr';
}
