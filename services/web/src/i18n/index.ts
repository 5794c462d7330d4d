export {
  SUPPORTED_LOCALES,
  DEFAULT_LOCALE,
  LANGUAGES,
  isLocale,
  directionOf,
  type Locale,
  type Direction,
} from './locales';
export { negotiateLocale, fromAcceptLanguage, type LocaleSignals } from './negotiate';
export {
  translatorFor,
  loadMessages,
  LOCALES_DIR,
  type Translate,
  type TranslationParams,
} from './translator';
export {
  formattersFor,
  ARABIC_NUMBERING_SYSTEM,
  DEFAULT_TIME_ZONE,
  type Formatters,
} from './formatters';
export {
  LANGUAGE_COOKIE,
  languageSwitchHandler,
  readCookie,
  setLanguageCookie,
  type LanguageSwitchOptions,
} from './language-switch';
