import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError } from '@sanad/errors';
import type { Logger } from '@sanad/logger';
import { isTransient } from '@sanad/messaging';
import type { Translate } from './forms';

const t = (res: Response) => res.locals.t as Translate;

export const notFoundPage: RequestHandler = (_req, res) => {
  res.status(404).render('pages/errors/not-found', { title: t(res)('errors.notFound.title') });
};

/**
 * The only place where errors become pages. Whatever went wrong, the person gets a page in their
 * language that says what to do next; nothing about the inside of the system.
 */
export function errorPages(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ module: 'http' });
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (!res.locals.t) res.locals.t = (key: string) => key;
    if (error instanceof AppError) {
      switch (error.code) {
        case 'NOT_FOUND':
          return notFoundPage(req, res, () => undefined);
        case 'UNAUTHENTICATED':
          return res.redirect(303, '/sign-in');
        case 'FORBIDDEN':
          return res.status(403).render('pages/errors/forbidden', {
            title: t(res)('errors.forbidden.title'),
            csrf: error.details.csrf === true,
          });
        case 'VALIDATION_FAILED':
          // a service refused what a page sent: the person can go back and change it
          return res.status(400).render('pages/errors/server-error', {
            title: t(res)('errors.badRequest.title'),
            badRequest: true,
          });
        case 'DEPENDENCY_UNAVAILABLE':
          res.setHeader('Retry-After', '5');
          return res.status(503).render('pages/errors/server-error', {
            title: t(res)('errors.serverError.title'),
            unavailable: true,
          });
        default:
          break;
      }
    }
    const e = error as { type?: string; status?: number; expose?: boolean };
    if (e.type === 'entity.too.large') {
      return res.status(413).render('pages/errors/server-error', {
        title: t(res)('errors.tooLarge.title'),
        tooLarge: true,
      });
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      // the body parser's other refusals (too many fields, a bad encoding): the same clear page
      return res.status(e.status).render('pages/errors/server-error', {
        title: t(res)('errors.badRequest.title'),
        badRequest: true,
      });
    }
    if (isTransient(error)) {
      log.warn({ err: error }, 'dependency unavailable');
      res.setHeader('Retry-After', '5');
      return res.status(503).render('pages/errors/server-error', {
        title: t(res)('errors.serverError.title'),
        unavailable: true,
      });
    }
    log.error({ err: error }, 'unexpected error');
    res
      .status(500)
      .render('pages/errors/server-error', { title: t(res)('errors.serverError.title') });
  };
}
