import express, { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError, type FieldProblem } from '@sanad/errors';
import { createLogger } from '@sanad/logger';
import {
  DOMAIN_MESSAGES,
  errorHandler,
  fieldProblems,
  ISSUE_MESSAGES,
  localiseProblem,
  negotiateLanguage,
  parseOrThrow,
  validateBody,
} from '../src';

const Body = z
  .object({
    name: z.string().min(2).max(5),
    email: z.email(),
    startDate: z.iso.date(),
    hoursPerWeek: z.number().int().min(1).max(60),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as OMR or USD'),
    code: z.string().regex(/^\d+$/),
    period: z.enum(['hour', 'week', 'month']),
    contacts: z.array(z.string()).min(1),
    accepted: z.literal(true),
    wage: z.object({ amount: z.number().positive() }),
  })
  .strict();

const problemsOf = (value: unknown): FieldProblem[] => {
  try {
    parseOrThrow(Body, value);
  } catch (error) {
    return (error as AppError).details.problems as FieldProblem[];
  }
  throw new Error('expected a validation error');
};
const byPath = (problems: FieldProblem[]) => Object.fromEntries(problems.map((p) => [p.path, p]));

const wrong = {
  name: 'a',
  email: 'not-an-email',
  startDate: '2026-13-01',
  hoursPerWeek: 61,
  currency: 'omr',
  code: 'x1',
  period: 'day',
  contacts: [],
  accepted: false,
  wage: { amount: 0 },
  nickname: 'Sam',
};

describe('fieldProblems: every zod issue with a path, a stable code, its params and English words', () => {
  const problems = byPath(problemsOf(wrong));

  it('names each field by its dotted path, with the zod issue code and what the message needs', () => {
    expect(problems).toEqual({
      name: {
        path: 'name',
        code: 'too_small',
        params: { origin: 'string', minimum: 2, bound: 'inclusive' },
        message: 'Must be at least 2 characters',
      },
      email: {
        path: 'email',
        code: 'invalid_format',
        params: { format: 'email' },
        message: 'Enter an email address in the correct format, like name@example.com',
      },
      startDate: {
        path: 'startDate',
        code: 'invalid_format',
        params: { format: 'date' },
        message: 'Enter a date as year-month-day, like 2026-09-01',
      },
      hoursPerWeek: {
        path: 'hoursPerWeek',
        code: 'too_big',
        params: { origin: 'number', maximum: 60, bound: 'inclusive' },
        message: 'Must be 60 or less',
      },
      // the schema's own words are kept, in English
      currency: {
        path: 'currency',
        code: 'invalid_format',
        params: { format: 'regex' },
        message: 'an ISO 4217 currency code such as OMR or USD',
      },
      code: {
        path: 'code',
        code: 'invalid_format',
        params: { format: 'regex' },
        message: 'Is not in the expected format',
      },
      period: {
        path: 'period',
        code: 'invalid_value',
        params: { values: 'hour, week, month' },
        message: 'Must be one of: hour, week, month',
      },
      contacts: {
        path: 'contacts',
        code: 'too_small',
        params: { origin: 'array', minimum: 1, bound: 'inclusive' },
        message: 'Must have at least one item',
      },
      accepted: {
        path: 'accepted',
        code: 'invalid_value',
        params: { value: 'true' },
        message: 'Must be true',
      },
      'wage.amount': {
        path: 'wage.amount',
        code: 'too_small',
        params: { origin: 'number', minimum: 0, bound: 'exclusive' },
        message: 'Must be more than 0',
      },
      nickname: {
        path: 'nickname',
        code: 'unrecognized_keys',
        message: 'Unknown field; remove it',
      },
    });
  });

  it('tells a missing field (required) from one of the wrong type (invalid_type)', () => {
    const problems = byPath(problemsOf({ ...wrong, name: undefined, hoursPerWeek: '12' }));
    expect(problems.name).toEqual({
      path: 'name',
      code: 'required',
      params: { expected: 'string' },
      message: 'This field is required',
    });
    expect(problems.hoursPerWeek).toEqual({
      path: 'hoursPerWeek',
      code: 'invalid_type',
      params: { expected: 'number' },
      message: 'Must be a number',
    });
  });

  it('does the same for a ZodError made elsewhere, without the input on its issues', () => {
    const result = z.object({ name: z.string(), age: z.number() }).safeParse({ age: 'x' });
    expect(result.success).toBe(false);
    const problems = fieldProblems((result as { error: z.ZodError }).error, 'body');
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['body.name', 'required'],
      ['body.age', 'invalid_type'],
    ]);
  });

  it('takes a refine’s domain code and params, and keeps its message', () => {
    const Consent = z.object({ category: z.string() }).refine(() => false, {
      message: 'kept only when the reportingByCategory consent is granted',
      path: ['category'],
      params: { code: 'consent-required', consent: 'reportingByCategory', flag: true },
    });
    const result = Consent.safeParse({ category: 'visual' });
    expect(fieldProblems((result as { error: z.ZodError }).error)).toEqual([
      {
        path: 'category',
        code: 'consent-required',
        params: { consent: 'reportingByCategory' },
        message: 'kept only when the reportingByCategory consent is granted',
      },
    ]);
  });

  it('gives a refine without a code the code custom', () => {
    const result = z
      .string()
      .refine(() => false)
      .safeParse('x');
    expect(fieldProblems((result as { error: z.ZodError }).error)).toEqual([
      { path: '(body)', code: 'custom', message: 'Is not valid' },
    ]);
  });
});

describe('localiseProblem', () => {
  it('words every zod issue code in Arabic from its params', () => {
    const arabic = byPath(problemsOf(wrong).map((p) => localiseProblem(p, 'ar')));
    expect(Object.fromEntries(Object.entries(arabic).map(([k, p]) => [k, p.message]))).toEqual({
      name: 'يجب ألا يقل عدد الأحرف عن 2',
      email: 'أدخل البريد الإلكتروني بصيغة صحيحة، مثل name@example.com',
      startDate: 'أدخل التاريخ بصيغة السنة-الشهر-اليوم، مثل 2026-09-01',
      hoursPerWeek: 'يجب ألا تزيد القيمة على 60',
      currency: 'القيمة ليست بالصيغة المطلوبة',
      code: 'القيمة ليست بالصيغة المطلوبة',
      period: 'يجب أن تكون القيمة واحدة مما يلي: hour، week، month',
      contacts: 'يجب أن تحتوي القائمة على عنصر واحد على الأقل',
      accepted: 'يجب أن تكون القيمة true',
      'wage.amount': 'يجب أن تكون القيمة أكبر من 0',
      nickname: 'حقل غير معروف؛ احذفه',
    });
  });

  it('keeps paths and codes as they are', () => {
    const problems = problemsOf(wrong);
    const arabic = problems.map((p) => localiseProblem(p, 'ar'));
    expect(arabic.map((p) => [p.path, p.code, p.params])).toEqual(
      problems.map((p) => [p.path, p.code, p.params]),
    );
  });

  it('leaves English issue messages alone (the schema’s own words stay)', () => {
    const problems = problemsOf(wrong);
    expect(problems.map((p) => localiseProblem(p, 'en'))).toEqual(problems);
  });

  it('words the domain codes it knows in both languages, with their params', () => {
    const window: FieldProblem = {
      path: 'startDate',
      message: 'startDate must be within the window',
      code: 'start-date-window',
      params: { from: '2025-11-23', to: '2027-05-22' },
    };
    expect(localiseProblem(window, 'ar').message).toBe(
      'يجب أن يكون تاريخ البدء بين 2025-11-23 و2027-05-22',
    );
    expect(localiseProblem(window, 'en').message).toBe(
      'The start date must be between 2025-11-23 and 2027-05-22',
    );
    const cases: [string, string][] = [
      ['end-before-start', 'لا يمكن أن يكون تاريخ الانتهاء قبل تاريخ البدء'],
      ['no-such-employer', 'لا توجد جهة عمل بهذا المعرّف'],
      ['not-a-supervisor', 'هذا الشخص ليس من جهات الاتصال المشرفة لدى جهة العمل'],
      ['nothing-changed', 'لا يوجد ما يتغير: أدخل قيمة جديدة واحدة على الأقل'],
      ['consent-required', 'يتطلب هذا موافقة المستفيد أولًا'],
    ];
    for (const [code, arabic] of cases) {
      expect(localiseProblem({ path: 'x', message: 'given', code }, 'ar').message).toBe(arabic);
    }
  });

  it('keeps the message of a problem without a code, or with one it does not know', () => {
    const plain: FieldProblem = { path: 'x', message: 'the service’s own words' };
    const unknown: FieldProblem = { ...plain, code: 'something-new', params: { n: 1 } };
    for (const language of ['ar', 'en'] as const) {
      expect(localiseProblem(plain, language)).toEqual(plain);
      expect(localiseProblem(unknown, language)).toEqual(unknown);
      // names of Object.prototype are not codes
      expect(localiseProblem({ ...plain, code: 'toString' }, language).message).toBe(plain.message);
    }
  });

  it('has every message in both languages, none empty and none left in English in Arabic', () => {
    const sample = {
      minimum: 3,
      maximum: 9,
      origin: 'string',
      expected: 'number',
      format: 'email',
      values: 'a, b',
      divisor: 5,
      from: '2026-01-01',
      to: '2026-12-31',
      startDate: '2026-01-01',
    };
    for (const [code, wording] of Object.entries({ ...ISSUE_MESSAGES, ...DOMAIN_MESSAGES })) {
      const en = wording.en(sample);
      const ar = wording.ar(sample);
      expect([code, en && en.length > 0]).toEqual([code, true]);
      expect([code, ar && /[\u0600-\u06FF]/.test(ar)]).toEqual([code, true]);
      expect([code, wording.ar({}) && wording.en({})]).toEqual([code, expect.any(String)]);
    }
  });
});

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ar', 'ar'],
    ['AR-om', 'ar'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR, ar;q=0.8, en;q=0.5', 'ar'],
    ['en;q=0.4, ar;q=0.9', 'ar'],
    ['ar;q=0, en', 'en'],
    ['fr, de', 'en'],
    ['ar;q=abc', 'en'],
    [';;;,,,', 'en'],
  ])('%j -> %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});

describe('the error handler answers 400 problems in the caller’s language', () => {
  const router = Router();
  router.post('/things', validateBody(Body), (_req, res) => {
    res.status(201).end();
  });
  router.post('/domain', () => {
    throw AppError.validation([
      {
        path: 'startDate',
        message: 'startDate must be from 2025-11-23 to 2027-05-22',
        code: 'start-date-window',
        params: { from: '2025-11-23', to: '2027-05-22' },
      },
      { path: 'employerId', message: 'no such employer', code: 'no-such-employer' },
      { path: 'other', message: 'as the service put it' },
    ]);
  });
  router.get('/missing', () => {
    throw AppError.notFound('thing');
  });
  const app = express();
  app.use(express.json());
  app.use(router);
  app.use(errorHandler(createLogger({ service: 'test', level: 'silent' })));

  const post = (path: string, body: unknown, language?: string) => {
    const req = request(app).post(path);
    return (language ? req.set('accept-language', language) : req).send(body as object);
  };

  it('in Arabic when the request asks for it, with the same paths and codes', async () => {
    const res = await post('/things', wrong, 'ar');
    expect(res.status).toBe(400);
    expect(res.headers['content-language']).toBe('ar');
    expect(res.headers.vary).toMatch(/Accept-Language/i);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toBe('بعض الحقول غير صحيحة');
    const problems = byPath(res.body.error.problems as FieldProblem[]);
    expect(problems.name).toEqual({
      path: 'name',
      code: 'too_small',
      params: { origin: 'string', minimum: 2, bound: 'inclusive' },
      message: 'يجب ألا يقل عدد الأحرف عن 2',
    });
    expect(problems.nickname?.message).toBe('حقل غير معروف؛ احذفه');
  });

  it('in English by default, or when no language asked for is one we speak', async () => {
    for (const language of [undefined, 'fr', 'en-US,en;q=0.8']) {
      const res = await post('/things', { ...wrong, name: undefined }, language);
      expect(res.status).toBe(400);
      expect(res.headers['content-language']).toBe('en');
      expect(res.body.error.message).toBe('some fields are wrong');
      expect(byPath(res.body.error.problems as FieldProblem[]).name).toEqual({
        path: 'name',
        code: 'required',
        params: { expected: 'string' },
        message: 'This field is required',
      });
    }
  });

  it('words the domain codes it knows and keeps the other messages', async () => {
    const ar = await post('/domain', {}, 'ar-OM');
    expect(ar.body.error.problems).toEqual([
      {
        path: 'startDate',
        message: 'يجب أن يكون تاريخ البدء بين 2025-11-23 و2027-05-22',
        code: 'start-date-window',
        params: { from: '2025-11-23', to: '2027-05-22' },
      },
      { path: 'employerId', message: 'لا توجد جهة عمل بهذا المعرّف', code: 'no-such-employer' },
      { path: 'other', message: 'as the service put it' },
    ]);
    const en = await post('/domain', {});
    expect(en.body.error.problems.map((p: FieldProblem) => p.message)).toEqual([
      'The start date must be between 2025-11-23 and 2027-05-22',
      'There is no employer with this ID',
      'as the service put it',
    ]);
  });

  it('says a body that is not JSON is not, in the caller’s language', async () => {
    const res = await request(app)
      .post('/things')
      .set('content-type', 'application/json')
      .set('accept-language', 'ar')
      .send('{"name":');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'INVALID_JSON',
      message: 'المحتوى المرسل ليس JSON صالحًا',
      problems: [
        { path: '(body)', code: 'invalid_json', message: 'المحتوى المرسل ليس JSON صالحًا' },
      ],
    });
  });

  it('leaves other errors as they were', async () => {
    const res = await request(app).get('/missing').set('accept-language', 'ar');
    expect(res.status).toBe(404);
    expect(res.headers['content-language']).toBeUndefined();
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'thing not found' } });
  });
});
