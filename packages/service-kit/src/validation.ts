import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, type FieldProblem } from '@sanad/errors';
import { issueMessage } from './problem-messages';

type Issue = z.core.$ZodIssue;
type Params = Record<string, string | number>;

/** A bound as people read it: dates as ISO dates, big integers as numbers. */
function bound(value: unknown, origin: unknown): string | number {
  if (origin === 'date' && (typeof value === 'number' || value instanceof Date)) {
    const iso = new Date(value).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return typeof value === 'bigint' ? Number(value) : (value as number);
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Nothing was given at all: zod says "invalid_type", people say "required". */
function missing(issue: Issue): boolean {
  if (issue.code !== 'invalid_type') return false;
  // parseOrThrow keeps the input on the issue; a ZodError made elsewhere only has the words
  return 'input' in issue ? issue.input === undefined : / received undefined$/.test(issue.message);
}

/** The stable code of an issue: zod's, `required`, or the domain code a refine gave in params. */
function codeOf(issue: Issue): string {
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return issue.params.code;
  return missing(issue) ? 'required' : issue.code;
}

/** What the message of an issue needs besides its code. */
function paramsOf(issue: Issue): Params {
  switch (issue.code) {
    case 'invalid_type':
      return { expected: issue.expected };
    case 'too_small':
      return {
        origin: issue.origin,
        minimum: bound(issue.minimum, issue.origin),
        bound: issue.inclusive === false ? 'exclusive' : 'inclusive',
      };
    case 'too_big':
      return {
        origin: issue.origin,
        maximum: bound(issue.maximum, issue.origin),
        bound: issue.inclusive === false ? 'exclusive' : 'inclusive',
      };
    case 'invalid_format': {
      const { format } = issue;
      const extra = issue as { prefix?: string; suffix?: string; includes?: string };
      return {
        format,
        ...(extra.prefix !== undefined ? { prefix: extra.prefix } : {}),
        ...(extra.suffix !== undefined ? { suffix: extra.suffix } : {}),
        ...(extra.includes !== undefined ? { includes: extra.includes } : {}),
      };
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? { value: shown(issue.values[0]) }
        : { values: issue.values.map(shown).join(', ') };
    case 'not_multiple_of':
      return { divisor: Number(issue.divisor) };
    case 'custom':
      // a refine's own params (other than its code), when they are plain figures or words
      return Object.fromEntries(
        Object.entries(issue.params ?? {}).filter(
          ([key, value]) => key !== 'code' && ['string', 'number'].includes(typeof value),
        ),
      ) as Params;
    default:
      return {};
  }
}

/** The schema left the wording to zod: its message is the one zod's locale gives by default. */
function hasDefaultMessage(issue: Issue): boolean {
  const localeError = z.config().localeError;
  if (!localeError) return false;
  const produced = localeError(issue as never);
  return (typeof produced === 'string' ? produced : produced?.message) === issue.message;
}

/**
 * Every zod issue as a dotted field path, a stable `code` with its `params`, and an English
 * message: the schema's own words when it gave some (`'an ISO 4217 currency code such as OMR'`),
 * else ours for the code. `at` prefixes the paths (`headers.x`). The HTTP error handler answers
 * the message in the caller's language (see localiseProblem).
 */
export function fieldProblems(error: z.ZodError, at = ''): FieldProblem[] {
  const join = (...parts: string[]) => parts.filter(Boolean).join('.');
  return error.issues.flatMap((issue) => {
    const path = join(at, issue.path.map(String).join('.'));
    const code = codeOf(issue);
    if (issue.code === 'unrecognized_keys') {
      const message = issueMessage(code) ?? 'unknown field';
      return issue.keys.map((key) => ({ path: join(path, key), message, code }));
    }
    const params = paramsOf(issue);
    const message = (hasDefaultMessage(issue) && issueMessage(code, params)) || issue.message;
    return [
      {
        path: path || '(body)',
        message,
        code,
        ...(Object.keys(params).length > 0 ? { params } : {}),
      },
    ];
  });
}

/** Parses with zod or throws an AppError (answered 400) naming every wrong field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, at = ''): z.infer<S> {
  // the input stays on the issues only to tell a missing field from a wrong one; never answered
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw AppError.validation(fieldProblems(result.error, at));
  return result.data;
}

/** Replaces req.body with its parsed value, or answers 400 with the wrong fields. */
export const validateBody =
  (schema: z.ZodType): RequestHandler =>
  (req, _res, next) => {
    req.body = parseOrThrow(schema, req.body ?? {});
    next();
  };
