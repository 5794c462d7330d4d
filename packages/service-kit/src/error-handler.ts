import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, type ErrorCode } from '@sanad/errors';
import type { Logger } from '@sanad/logger';
import { isTransient } from '@sanad/messaging';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_VERSION: 409,
  DEPENDENCY_UNAVAILABLE: 503,
};

/** The body of every error answer: a code a program can act on and words a person can read. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ examples: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'] }),
      message: z.string(),
      /** Every wrong field of a 400, as a dotted path (`query.limit`, `headers.x-access-purpose`). */
      problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'ErrorBody', description: 'The body of every error answer.' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const notFoundHandler: RequestHandler = (_req, res) => {
  res
    .status(404)
    .json({ error: { code: 'NOT_FOUND', message: 'no such resource' } } satisfies ErrorBody);
};

/** The only place where errors become HTTP statuses. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ module: 'http' });
  return (error, _req, res, _next) => {
    if (error instanceof AppError) {
      const status = STATUS[error.code];
      if (status === 503) res.setHeader('Retry-After', '5');
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(status).json({
        error: {
          code: error.code,
          message: error.message,
          ...(error.details.problems ? { problems: error.details.problems as never } : {}),
        },
      } satisfies ErrorBody);
      return;
    }
    // body-parser's own errors: broken JSON, a body too large, a wrong content encoding
    const e = error as { type?: string; status?: number; expose?: boolean; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({
        error: {
          code: 'INVALID_JSON',
          message: 'the body is not valid JSON',
          problems: [{ path: '(body)', message: 'not valid JSON' }],
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
