import { createInstance, type i18n } from 'i18next';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUPPORTED_LOCALES, type Locale } from './locales';

/** Works from src/i18n (jest, tsx) and dist/i18n alike. */
export const LOCALES_DIR = path.join(__dirname, '../../locales');

export type TranslationParams = Record<string, unknown>;
export type Translate = (key: string, params?: TranslationParams) => string;

export function loadMessages(locale: Locale): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(LOCALES_DIR, `${locale}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

let instance: i18n | undefined;

function i18nInstance(): i18n {
  if (instance) return instance;
  const created = createInstance();
  void created.init({
    initAsync: false,
    supportedLngs: [...SUPPORTED_LOCALES],
    fallbackLng: 'en',
    defaultNS: 'translation',
    resources: Object.fromEntries(
      SUPPORTED_LOCALES.map((locale) => [locale, { translation: loadMessages(locale) }]),
    ),
    // nunjucks escapes every output; escaping here too would show &amp; to people
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
  });
  instance = created;
  return created;
}

const translators = new Map<Locale, Translate>();

/**
 * `t(key, params)` for one locale. Plurals take `count` (`t('admin.users.count', { count: 3 })`) and
 * pick the CLDR category of the locale: one/other in English, zero/one/two/few/many/other in Arabic.
 */
export function translatorFor(locale: Locale): Translate {
  let translate = translators.get(locale);
  if (!translate) {
    const fixed = i18nInstance().getFixedT(locale);
    translate = (key, params) => String(fixed(key, params as never));
    translators.set(locale, translate);
  }
  return translate;
}
