/** The languages the services answer in; the web app speaks the same two. */
export const LANGUAGES = ['ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Used when the request does not say, or names only languages we do not speak. */
export const DEFAULT_LANGUAGE: Language = 'en';

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The language of the answer, from an Accept-Language header: the supported one the caller ranks
 * highest (by q, then by order; `ar-OM` counts as `ar`), else English. A broken header is not an
 * error: it just says nothing.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranked = header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return {
        primary: tag.trim().toLowerCase().split('-')[0],
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      };
    })
    .filter((entry) => entry.quality > 0 && isLanguage(entry.primary))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  const best = ranked[0]?.primary;
  return isLanguage(best) ? best : DEFAULT_LANGUAGE;
}
