import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, type ErrorCode, type FieldProblem } from '@sanad/errors';
import type { Logger } from '@sanad/logger';
import { isTransient } from '@sanad/messaging';
import { negotiateLanguage, type Language } from './language';
import { localiseProblem, VALIDATION_MESSAGE } from './problem-messages';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_VERSION: 409,
  LINK_REFUSED: 410,
  DEPENDENCY_UNAVAILABLE: 503,
};

/** The body of every error answer: a code a program can act on and words a person can read. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ examples: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'] }),
      message: z.string(),
      /** Every wrong field of a 400, as a dotted path (`query.limit`, `headers.x-access-purpose`). */
      problems: z
        .array(
          z.object({
            path: z.string(),
            /** In the language of the request's Accept-Language (ar or en; English by default). */
            message: z.string(),
            /** What is wrong, for programs: a zod issue code or a domain code. */
            code: z
              .string()
              .meta({ examples: ['required', 'too_small', 'start-date-window'] })
              .optional(),
            /** What the message needs besides the code (`{ minimum: 8 }`, `{ from, to }`). */
            params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
          }),
        )
        .optional(),
      /** Why a signed link cannot be used (410): unknown, wrong-purpose, revoked, expired, used-up. */
      reason: z.string().optional(),
    }),
  })
  .meta({ id: 'ErrorBody', description: 'The body of every error answer.' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const notFoundHandler: RequestHandler = (_req, res) => {
  res
    .status(404)
    .json({ error: { code: 'NOT_FOUND', message: 'no such resource' } } satisfies ErrorBody);
};

/**
 * The wrong fields of a 400 in the caller's language, with the words that go with them. The
 * answer then depends on Accept-Language: caches are told so.
 */
function localised(
  error: AppError,
  language: Language,
  res: Parameters<ErrorRequestHandler>[2],
): { message: string; problems?: FieldProblem[] } {
  const problems = error.details.problems as FieldProblem[] | undefined;
  if (!problems) return { message: error.message };
  res.vary('Accept-Language');
  res.setHeader('Content-Language', language);
  return {
    message: error.message === VALIDATION_MESSAGE.en ? VALIDATION_MESSAGE[language] : error.message,
    problems: problems.map((problem) => localiseProblem(problem, language)),
  };
}

const INVALID_JSON_MESSAGE: Record<Language, string> = {
  en: 'the body is not valid JSON',
  ar: 'المحتوى المرسل ليس JSON صالحًا',
};
const INVALID_JSON_PROBLEM: FieldProblem = {
  path: '(body)',
  message: 'not valid JSON',
  code: 'invalid_json',
};

/** The only place where errors become HTTP statuses. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ module: 'http' });
  return (error, req, res, _next) => {
    if (error instanceof AppError) {
      const status = STATUS[error.code];
      if (status === 503) res.setHeader('Retry-After', '5');
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      const { message, problems } = localised(
        error,
        negotiateLanguage(req.headers['accept-language']),
        res,
      );
      res.status(status).json({
        error: {
          code: error.code,
          message,
          ...(problems ? { problems } : {}),
          ...(typeof error.details.reason === 'string' ? { reason: error.details.reason } : {}),
        },
      } satisfies ErrorBody);
      return;
    }
    // body-parser's own errors: broken JSON, a body too large, a wrong content encoding
    const e = error as { type?: string; status?: number; expose?: boolean; message?: string };
    if (e.type === 'entity.parse.failed') {
      const language = negotiateLanguage(req.headers['accept-language']);
      res.vary('Accept-Language');
      res.setHeader('Content-Language', language);
      res.status(400).json({
        error: {
          code: 'INVALID_JSON',
          message: INVALID_JSON_MESSAGE[language],
          problems: [localiseProblem(INVALID_JSON_PROBLEM, language)],
        },
      } satisfies ErrorBody);
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({
        error: { code: 'BODY_TOO_LARGE', message: 'the body is larger than this endpoint accepts' },
      } satisfies ErrorBody);
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      res
        .status(e.status)
        .json({ error: { code: 'BAD_REQUEST', message: e.message ?? 'bad request' } });
      return;
    }
    if (isTransient(error)) {
      log.warn({ err: error }, 'dependency unavailable');
      res.setHeader('Retry-After', '5');
      res
        .status(503)
        .json({ error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'try again shortly' } });
      return;
    }
    log.error({ err: error }, 'unexpected error');
    res
      .status(500)
      .json({ error: { code: 'INTERNAL', message: 'something went wrong on our side' } });
  };
}
