import type { Locale } from './locales';

/**
 * Digits used for Arabic pages. 'latn' (0123456789) is CLDR's current default for `ar`, matches the
 * digits people type into our forms, into phone numbers and into the codes we send them, and is
 * what Maghreb users expect. Gulf and Egyptian readers are used to Arabic-Indic digits
 * (٠١٢٣٤٥٦٧٨٩): a deployment for them changes this one constant to 'arab'. Pinned here rather than
 * left to ICU, whose default for `ar` has changed between versions.
 */
export const ARABIC_NUMBERING_SYSTEM: 'latn' | 'arab' = 'latn';

/** Times are shown in the programme's time zone, not the server's. */
export const DEFAULT_TIME_ZONE = 'Asia/Muscat';

export interface Formatters {
  /** A calendar date: 'YYYY-MM-DD' strings are dates without a time zone and never shift a day. */
  date(value: Date | string | number): string;
  dateTime(value: Date | string | number): string;
  number(value: number): string;
  /** A ratio: 0.85 -> "85%". */
  percent(value: number): string;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

function intlLocale(locale: Locale): string {
  // the Gregorian calendar everywhere: 'ar-SA' would otherwise pick the Hijri calendar
  return locale === 'ar' ? `ar-u-nu-${ARABIC_NUMBERING_SYSTEM}-ca-gregory` : 'en-GB-u-ca-gregory';
}

const cache = new Map<string, Formatters>();

export function formattersFor(locale: Locale, timeZone: string = DEFAULT_TIME_ZONE): Formatters {
  const cacheKey = `${locale}|${timeZone}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const tag = intlLocale(locale);
  const dateInZone = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone });
  const calendarDate = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(tag, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  });
  const number = new Intl.NumberFormat(tag);
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const formatters: Formatters = {
    date: (value) =>
      typeof value === 'string' && CALENDAR_DATE.test(value)
        ? calendarDate.format(new Date(`${value}T00:00:00Z`))
        : dateInZone.format(new Date(value)),
    dateTime: (value) => dateTime.format(new Date(value)),
    number: (value) => number.format(value),
    percent: (value) => percent.format(value),
  };
  cache.set(cacheKey, formatters);
  return formatters;
}
