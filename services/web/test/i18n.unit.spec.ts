import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ARABIC_NUMBERING_SYSTEM,
  directionOf,
  formattersFor,
  loadMessages,
  negotiateLocale,
  readCookie,
  SUPPORTED_LOCALES,
  translatorFor,
  type Locale,
} from '../src/i18n';
import { choiceChecked, fieldError, fieldId, fieldValue } from '../src/http/views';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(messages: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(messages)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value as Record<string, unknown>, full)) flat.set(k, v);
    } else {
      flat.set(full, value);
    }
  }
  return flat;
}

interface Catalogue {
  plain: Map<string, string>;
  /** plural base key -> category -> text */
  plurals: Map<string, Map<string, string>>;
}

function catalogue(locale: Locale): Catalogue {
  const plain = new Map<string, string>();
  const plurals = new Map<string, Map<string, string>>();
  for (const [key, value] of flatten(loadMessages(locale))) {
    const match = PLURAL_SUFFIX.exec(key);
    if (match) {
      const base = key.slice(0, match.index);
      if (!plurals.has(base)) plurals.set(base, new Map());
      plurals.get(base)!.set(match[1]!, String(value));
    } else {
      plain.set(key, value as string);
    }
  }
  return { plain, plurals };
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');
const sorted = (values: Iterable<string>) => [...values].sort();

const en = catalogue('en');
const ar = catalogue('ar');

describe('locale files', () => {
  it('have the same keys in English and Arabic', () => {
    expect(sorted(ar.plain.keys())).toEqual(sorted(en.plain.keys()));
    expect(sorted(ar.plurals.keys())).toEqual(sorted(en.plurals.keys()));
  });

  it('hold only non-empty strings', () => {
    for (const { plain, plurals } of [en, ar]) {
      const texts = [...plain.values(), ...[...plurals.values()].flatMap((m) => [...m.values()])];
      for (const text of texts) {
        expect(typeof text).toBe('string');
        expect(text.trim()).not.toBe('');
      }
    }
  });

  it.each(SUPPORTED_LOCALES)('give every plural all the CLDR categories of %s', (locale) => {
    const categories = sorted(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
    const { plurals } = locale === 'ar' ? ar : en;
    expect(plurals.size).toBeGreaterThan(0);
    for (const [base, forms] of plurals) {
      expect({ base, categories: sorted(forms.keys()) }).toEqual({ base, categories });
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of en.plain) {
      expect({ key, placeholders: sorted(placeholders(ar.plain.get(key) ?? '')) }).toEqual({
        key,
        placeholders: sorted(placeholders(text)),
      });
    }
    // Arabic forms such as "يومين" (two days) spell the number out, so only names other than count
    for (const [base, forms] of en.plurals) {
      const names = (f: Map<string, string>) =>
        sorted(new Set([...f.values()].flatMap(placeholders).filter((n) => n !== 'count')));
      expect({ base, names: names(ar.plurals.get(base)!) }).toEqual({ base, names: names(forms) });
    }
  });

  it('define every key the templates and the code use literally', () => {
    const root = path.join(__dirname, '..');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return files(full);
        return /\.(njk|ts)$/.test(entry.name) ? [full] : [];
      });
    const used = new Map<string, string>();
    const literal =
      /\bt\(\s*['"`]([\w-]+(?:\.[\w-]+)+)['"`]\s*[,)]|labelKey:\s*['"]([\w-]+(?:\.[\w-]+)+)['"]/g;
    for (const file of [...files(path.join(root, 'views')), ...files(path.join(root, 'src'))]) {
      for (const match of readFileSync(file, 'utf8').matchAll(literal)) {
        used.set(match[1] ?? match[2]!, path.relative(root, file));
      }
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter(([key]) => !en.plain.has(key) && !en.plurals.has(key));
    expect(missing).toEqual([]);
  });
});

describe('negotiateLocale', () => {
  it('prefers the cookie, then the account, then the browser, then English', () => {
    expect(negotiateLocale({ cookie: 'ar', userLocale: 'en', acceptLanguage: 'en' })).toBe('ar');
    expect(negotiateLocale({ cookie: 'xx', userLocale: 'ar', acceptLanguage: 'en' })).toBe('ar');
    expect(negotiateLocale({ userLocale: null, acceptLanguage: 'ar-OM,ar;q=0.9' })).toBe('ar');
    expect(negotiateLocale({ acceptLanguage: 'fr-FR,fr;q=0.9' })).toBe('en');
    expect(negotiateLocale({})).toBe('en');
  });

  it("opens a link we mailed in the mail's language, unless this device chose another", () => {
    expect(negotiateLocale({ linkHint: 'ar', acceptLanguage: 'en' })).toBe('ar');
    expect(negotiateLocale({ linkHint: 'ar', userLocale: 'en' })).toBe('ar');
    expect(negotiateLocale({ cookie: 'en', linkHint: 'ar' })).toBe('en');
    expect(negotiateLocale({ linkHint: ['ar', 'en'], acceptLanguage: 'en' })).toBe('en');
    expect(negotiateLocale({ linkHint: 'fr' })).toBe('en');
  });

  it('reads Accept-Language by quality, then by order', () => {
    expect(negotiateLocale({ acceptLanguage: 'fr, ar;q=0.5, en;q=0.4' })).toBe('ar');
    expect(negotiateLocale({ acceptLanguage: 'en;q=0.5, ar' })).toBe('ar');
    expect(negotiateLocale({ acceptLanguage: 'en-GB, ar' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'ar;q=0, en;q=0.1' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: ';;;,q=,*' })).toBe('en');
  });

  it('gives Arabic a right-to-left direction', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});

describe('translatorFor', () => {
  it('translates nested keys and leaves escaping to the templates', () => {
    expect(translatorFor('en')('site.name')).toBe('Sanad');
    expect(translatorFor('ar')('site.name')).toBe('سند');
    expect(translatorFor('en')('layout.signedInAs', { name: 'Amal & <Co>' })).toBe(
      'Signed in as Amal & <Co>',
    );
  });

  it('picks the Arabic plural forms by CLDR category', () => {
    const t = translatorFor('ar');
    expect(t('admin.users.count', { count: 0 })).toBe('لا يوجد مستخدمون');
    expect(t('admin.users.count', { count: 1 })).toBe('مستخدم واحد');
    expect(t('admin.users.count', { count: 2 })).toBe('مستخدمان');
    expect(t('admin.users.count', { count: 3 })).toBe('3 مستخدمين');
    expect(t('admin.users.count', { count: 11 })).toBe('11 مستخدمًا');
    expect(t('admin.users.count', { count: 100 })).toBe('100 مستخدم');
  });

  it('picks the English plural forms', () => {
    const t = translatorFor('en');
    expect(t('admin.users.count', { count: 1 })).toBe('1 user');
    expect(t('admin.users.count', { count: 0 })).toBe('0 users');
    expect(t('errors.tooManyRequests.retryIn', { count: 5 })).toBe(
      'You can try again in 5 minutes.',
    );
  });

  it('shows the key itself for a key that does not exist', () => {
    expect(translatorFor('ar')('no.such.key')).toBe('no.such.key');
  });
});

describe('formattersFor', () => {
  const arabicYear = ARABIC_NUMBERING_SYSTEM === 'arab' ? '٢٠٢٦' : '2026';

  it('formats calendar dates without shifting the day', () => {
    expect(formattersFor('en').date('2026-12-01')).toBe('1 December 2026');
    expect(formattersFor('en', 'America/Los_Angeles').date('2026-12-01')).toBe('1 December 2026');
    expect(formattersFor('ar').date('2026-12-01')).toContain('ديسمبر');
    expect(formattersFor('ar').date('2026-12-01')).toContain(arabicYear);
  });

  it('formats moments in the programme time zone', () => {
    const moment = new Date('2026-12-01T20:30:00Z'); // 00:30 on 2 December in Muscat
    expect(formattersFor('en').dateTime(moment)).toMatch(/^2 December 2026.*00:30$/);
    expect(formattersFor('en').date(moment)).toBe('2 December 2026');
  });

  it('formats numbers and ratios', () => {
    expect(formattersFor('en').number(1234567)).toBe('1,234,567');
    expect(formattersFor('en').percent(0.875)).toBe('87.5%');
    expect(formattersFor('ar').percent(0.5)).toContain(
      ARABIC_NUMBERING_SYSTEM === 'arab' ? '٥٠' : '50',
    );
  });
});

describe('language switch helpers', () => {
  it('reads one cookie from the header', () => {
    expect(readCookie('a=1; lang=ar; b=2', 'lang')).toBe('ar');
    expect(readCookie('xlang=en', 'lang')).toBeUndefined();
    expect(readCookie(undefined, 'lang')).toBeUndefined();
    expect(readCookie('lang=%E0%A4%A', 'lang')).toBeUndefined();
  });
});

describe('view helpers used by the macros', () => {
  const form = {
    values: { email: 'a@b', programmeIds: ['p1', 'p3'] },
    errors: [{ field: 'email', message: 'Enter an email address' }],
  };

  it('derives input ids from field names', () => {
    expect(fieldId('programmeIds')).toBe('programmeIds');
    expect(fieldId('wage.amount')).toBe('wage-amount');
    expect(fieldId('items[0]')).toBe('items-0-');
  });

  it('takes values and errors from the given params first, then from form', () => {
    expect(fieldValue(form, 'email')).toBe('a@b');
    expect(fieldValue(form, 'email', 'given')).toBe('given');
    expect(fieldValue(undefined, 'email')).toBe('');
    expect(fieldError(form, 'email')).toBe('Enter an email address');
    expect(fieldError(form, 'name')).toBeUndefined();
  });

  it('checks choices from the value, then a submitted form, then the item', () => {
    expect(choiceChecked(form, 'programmeIds', undefined, { value: 'p3' })).toBe(true);
    expect(choiceChecked(form, 'programmeIds', undefined, { value: 'p2', checked: true })).toBe(
      false,
    );
    expect(choiceChecked(undefined, 'role', undefined, { value: 'coach', checked: true })).toBe(
      true,
    );
    expect(choiceChecked(form, 'role', 'coach', { value: 'coach' })).toBe(true);
  });
});
