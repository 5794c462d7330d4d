import type { FieldProblem } from '@sanad/errors';
import type { Language } from './language';

type Params = Record<string, string | number>;
/** One message in every language we speak; undefined when the params it needs are missing. */
type Wording = Record<Language, (params: Params) => string | undefined>;

const has = (params: Params, ...names: string[]) => names.every((n) => params[n] !== undefined);
/** Lists are given as `a, b, c`; Arabic separates with its own comma. */
const arabicList = (list: string | number) => String(list).split(', ').join('، ');
const exclusive = (params: Params) => params.bound === 'exclusive';

/** What a length or size counts: characters of text, items of a list, else the value itself. */
function counted(origin: unknown): 'characters' | 'items' | 'date' | 'value' {
  if (origin === 'string') return 'characters';
  if (origin === 'array' || origin === 'set' || origin === 'map' || origin === 'file') {
    return 'items';
  }
  if (origin === 'date') return 'date';
  return 'value';
}

const TYPE_NAMES: Record<string, Record<Language, string>> = {
  string: { en: 'text', ar: 'نصًا' },
  number: { en: 'a number', ar: 'رقمًا' },
  int: { en: 'a whole number', ar: 'عددًا صحيحًا' },
  bigint: { en: 'a whole number', ar: 'عددًا صحيحًا' },
  boolean: { en: 'true or false', ar: 'true أو false' },
  array: { en: 'a list', ar: 'قائمة' },
  object: { en: 'an object', ar: 'كائنًا (object)' },
  date: { en: 'a date', ar: 'تاريخًا' },
};

const ID_FORMAT: Record<Language, string> = {
  en: 'Enter an ID in the correct format, like 0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c10',
  ar: 'أدخل المعرّف بصيغة صحيحة، مثل 0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c10',
};

const FORMATS: Record<string, Record<Language, string>> = {
  email: {
    en: 'Enter an email address in the correct format, like name@example.com',
    ar: 'أدخل البريد الإلكتروني بصيغة صحيحة، مثل name@example.com',
  },
  date: {
    en: 'Enter a date as year-month-day, like 2026-09-01',
    ar: 'أدخل التاريخ بصيغة السنة-الشهر-اليوم، مثل 2026-09-01',
  },
  datetime: {
    en: 'Enter a date and time like 2026-09-01T09:30:00Z',
    ar: 'أدخل التاريخ والوقت بصيغة مثل 2026-09-01T09:30:00Z',
  },
  time: { en: 'Enter a time like 09:30', ar: 'أدخل الوقت بصيغة مثل 09:30' },
  uuid: ID_FORMAT,
  guid: ID_FORMAT,
  url: {
    en: 'Enter a full web address, like https://example.com',
    ar: 'أدخل عنوان ويب كاملًا، مثل https://example.com',
  },
};

/**
 * Messages for zod's issue codes (plus `required`, an `invalid_type` with nothing given, and
 * `invalid_json`, a body that does not parse), worded from the issue's parameters.
 */
export const ISSUE_MESSAGES: Record<string, Wording> = {
  required: { en: () => 'This field is required', ar: () => 'هذا الحقل مطلوب' },
  invalid_type: {
    en: (p) => {
      const type = TYPE_NAMES[String(p.expected)];
      return type ? `Must be ${type.en}` : 'Has the wrong type';
    },
    ar: (p) => {
      const type = TYPE_NAMES[String(p.expected)];
      return type ? `يجب أن تكون القيمة ${type.ar}` : 'نوع القيمة غير صحيح';
    },
  },
  too_small: {
    en: (p) => {
      if (!has(p, 'minimum')) return 'Is too small';
      const min = p.minimum;
      switch (counted(p.origin)) {
        case 'characters':
          return min === 1 ? 'Must not be empty' : `Must be at least ${min} characters`;
        case 'items':
          return min === 1 ? 'Must have at least one item' : `Must have at least ${min} items`;
        case 'date':
          return exclusive(p) ? `Must be after ${min}` : `Must be on or after ${min}`;
        default:
          return exclusive(p) ? `Must be more than ${min}` : `Must be ${min} or more`;
      }
    },
    ar: (p) => {
      if (!has(p, 'minimum')) return 'القيمة أصغر من المسموح';
      const min = p.minimum;
      switch (counted(p.origin)) {
        case 'characters':
          return min === 1 ? 'لا يمكن أن يكون هذا الحقل فارغًا' : `يجب ألا يقل عدد الأحرف عن ${min}`;
        case 'items':
          return min === 1
            ? 'يجب أن تحتوي القائمة على عنصر واحد على الأقل'
            : `يجب ألا يقل عدد العناصر عن ${min}`;
        case 'date':
          return exclusive(p)
            ? `يجب أن يكون التاريخ بعد ${min}`
            : `يجب ألا يكون التاريخ قبل ${min}`;
        default:
          return exclusive(p)
            ? `يجب أن تكون القيمة أكبر من ${min}`
            : `يجب ألا تقل القيمة عن ${min}`;
      }
    },
  },
  too_big: {
    en: (p) => {
      if (!has(p, 'maximum')) return 'Is too big';
      const max = p.maximum;
      switch (counted(p.origin)) {
        case 'characters':
          return `Must be ${max} characters or fewer`;
        case 'items':
          return `Must have ${max} items or fewer`;
        case 'date':
          return exclusive(p) ? `Must be before ${max}` : `Must be on or before ${max}`;
        default:
          return exclusive(p) ? `Must be less than ${max}` : `Must be ${max} or less`;
      }
    },
    ar: (p) => {
      if (!has(p, 'maximum')) return 'القيمة أكبر من المسموح';
      const max = p.maximum;
      switch (counted(p.origin)) {
        case 'characters':
          return `يجب ألا يزيد عدد الأحرف على ${max}`;
        case 'items':
          return `يجب ألا يزيد عدد العناصر على ${max}`;
        case 'date':
          return exclusive(p)
            ? `يجب أن يكون التاريخ قبل ${max}`
            : `يجب ألا يكون التاريخ بعد ${max}`;
        default:
          return exclusive(p)
            ? `يجب أن تكون القيمة أقل من ${max}`
            : `يجب ألا تزيد القيمة على ${max}`;
      }
    },
  },
  invalid_format: {
    en: (p) => {
      const format = FORMATS[String(p.format)];
      if (format) return format.en;
      if (p.format === 'starts_with' && has(p, 'prefix')) return `Must start with ${p.prefix}`;
      if (p.format === 'ends_with' && has(p, 'suffix')) return `Must end with ${p.suffix}`;
      if (p.format === 'includes' && has(p, 'includes')) return `Must contain ${p.includes}`;
      return 'Is not in the expected format';
    },
    ar: (p) => {
      const format = FORMATS[String(p.format)];
      if (format) return format.ar;
      if (p.format === 'starts_with' && has(p, 'prefix'))
        return `يجب أن تبدأ القيمة بـ ${p.prefix}`;
      if (p.format === 'ends_with' && has(p, 'suffix')) return `يجب أن تنتهي القيمة بـ ${p.suffix}`;
      if (p.format === 'includes' && has(p, 'includes'))
        return `يجب أن تحتوي القيمة على ${p.includes}`;
      return 'القيمة ليست بالصيغة المطلوبة';
    },
  },
  invalid_value: {
    en: (p) => {
      if (has(p, 'value')) return `Must be ${p.value}`;
      return has(p, 'values') ? `Must be one of: ${p.values}` : 'Is not one of the allowed values';
    },
    ar: (p) => {
      if (has(p, 'value')) return `يجب أن تكون القيمة ${p.value}`;
      return has(p, 'values')
        ? `يجب أن تكون القيمة واحدة مما يلي: ${arabicList(p.values as string)}`
        : 'القيمة ليست من القيم المسموح بها';
    },
  },
  unrecognized_keys: {
    en: () => 'Unknown field; remove it',
    ar: () => 'حقل غير معروف؛ احذفه',
  },
  not_multiple_of: {
    en: (p) => (has(p, 'divisor') ? `Must be a multiple of ${p.divisor}` : 'Is not allowed'),
    ar: (p) =>
      has(p, 'divisor') ? `يجب أن تكون القيمة من مضاعفات ${p.divisor}` : 'القيمة غير مسموح بها',
  },
  invalid_union: {
    en: () => 'Does not match any of the accepted forms',
    ar: () => 'القيمة لا تطابق أيًّا من الصيغ المقبولة',
  },
  invalid_key: { en: () => 'Has a key that is not valid', ar: () => 'يحتوي على مفتاح غير صالح' },
  invalid_element: {
    en: () => 'Has an item that is not valid',
    ar: () => 'يحتوي على عنصر غير صالح',
  },
  custom: { en: () => 'Is not valid', ar: () => 'القيمة غير صالحة' },
  invalid_json: { en: () => 'Not valid JSON', ar: () => 'المحتوى المرسل ليس JSON صالحًا' },
};

/**
 * Messages for the codes the services give their own rules, in `AppError.validation` or as
 * `params: { code }` of a zod `refine`. A code here is always worded from this table, in English
 * too, so that every service says the same thing the same way.
 */
export const DOMAIN_MESSAGES: Record<string, Wording> = {
  'start-date-window': {
    en: (p) =>
      has(p, 'from', 'to')
        ? `The start date must be between ${p.from} and ${p.to}`
        : 'The start date is too far from today',
    ar: (p) =>
      has(p, 'from', 'to')
        ? `يجب أن يكون تاريخ البدء بين ${p.from} و${p.to}`
        : 'تاريخ البدء بعيد جدًا عن تاريخ اليوم',
  },
  'end-before-start': {
    en: (p) =>
      has(p, 'startDate')
        ? `The end date cannot be before the start date (${p.startDate})`
        : 'The end date cannot be before the start date',
    ar: (p) =>
      has(p, 'startDate')
        ? `لا يمكن أن يكون تاريخ الانتهاء قبل تاريخ البدء (${p.startDate})`
        : 'لا يمكن أن يكون تاريخ الانتهاء قبل تاريخ البدء',
  },
  'before-start': {
    en: (p) =>
      has(p, 'startDate')
        ? `Cannot be before the start date (${p.startDate})`
        : 'Cannot be before the start date',
    ar: (p) =>
      has(p, 'startDate')
        ? `لا يمكن أن يكون قبل تاريخ البدء (${p.startDate})`
        : 'لا يمكن أن يكون قبل تاريخ البدء',
  },
  'too-far-ahead': {
    en: (p) => (has(p, 'to') ? `Cannot be after ${p.to}` : 'Is too far in the future'),
    ar: (p) => (has(p, 'to') ? `لا يمكن أن يكون بعد ${p.to}` : 'التاريخ بعيد جدًا في المستقبل'),
  },
  'no-such-employer': {
    en: () => 'There is no employer with this ID',
    ar: () => 'لا توجد جهة عمل بهذا المعرّف',
  },
  'not-a-supervisor': {
    en: () => 'This is not one of the employer’s supervisor contacts',
    ar: () => 'هذا الشخص ليس من جهات الاتصال المشرفة لدى جهة العمل',
  },
  'nothing-changed': {
    en: () => 'Nothing would change: give at least one new value',
    ar: () => 'لا يوجد ما يتغير: أدخل قيمة جديدة واحدة على الأقل',
  },
  'consent-required': {
    en: () => 'This needs the participant’s consent first',
    ar: () => 'يتطلب هذا موافقة المستفيد أولًا',
  },
};

const own = <T>(table: Record<string, T>, key: string | undefined): T | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

/** The English wording of a zod issue code, for `fieldProblems` when the schema gave none. */
export function issueMessage(code: string, params: Params = {}): string | undefined {
  return own(ISSUE_MESSAGES, code)?.en(params);
}

/**
 * A problem as the caller should read it: a domain code we know is worded from DOMAIN_MESSAGES;
 * in Arabic, a zod issue code is worded from ISSUE_MESSAGES; anything else keeps its message (the
 * service's own words, or the schema's, in English), so nothing is ever lost.
 */
export function localiseProblem(problem: FieldProblem, language: Language): FieldProblem {
  const params = problem.params ?? {};
  const domain = own(DOMAIN_MESSAGES, problem.code);
  const wording = domain ?? (language === 'en' ? undefined : own(ISSUE_MESSAGES, problem.code));
  const message = wording?.[language](params);
  return message === undefined ? problem : { ...problem, message };
}

/** The top-level message of a 400 that names its fields. */
export const VALIDATION_MESSAGE: Record<Language, string> = {
  en: 'some fields are wrong',
  ar: 'بعض الحقول غير صحيحة',
};
