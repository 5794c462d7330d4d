import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { navigationFor, type User } from '../domain/user';
import type { CsrfTokens } from '../identity/csrf';
import type { SessionStore } from '../identity/sessions';
import type { UserRepository } from '../persistence/users.repository';
import { cookieOptions, cookiesOf, CSRF_COOKIE, SESSION_COOKIE } from './cookies';

/** The signed-in user of this request, or null. */
export const userOf = (res: Response): User | null => (res.locals.user as User | null) ?? null;

/** The signed-in user, for routes behind `requireUser`. */
export function signedIn(res: Response): User {
  const user = userOf(res);
  if (!user) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return user;
}

/**
 * Finds the session from its cookie and loads the user afresh on every request, so that a
 * changed role or a disabled account holds at once.
 */
export function loadIdentity(deps: {
  sessions: SessionStore;
  users: UserRepository;
}): RequestHandler {
  return async (req, res, next) => {
    res.locals.user = null;
    res.locals.sessionId = null;
    const sessionId = cookiesOf(req)[SESSION_COOKIE];
    if (sessionId) {
      const session = await deps.sessions.get(sessionId);
      const user = session ? await deps.users.findById(session.userId) : null;
      if (user?.status === 'active') {
        res.locals.user = user;
        res.locals.sessionId = sessionId;
        res.locals.navigation = navigationFor(user.role).map((item) => ({
          ...item,
          current: item.href === '/' ? req.path === '/' : req.path.startsWith(item.href),
        }));
      } else if (session) {
        await deps.sessions.destroy(sessionId);
      }
    }
    res.locals.navigation ??= [];
    next();
  };
}

/**
 * Every POST carries the `_csrf` token of the visitor's CSRF cookie and session; without it the
 * request is refused (403) and nothing happens.
 */
export function csrfProtection(deps: { csrf: CsrfTokens; secureCookies: boolean }): RequestHandler {
  return (req, res, next) => {
    let cookie = cookiesOf(req)[CSRF_COOKIE];
    const sessionId = res.locals.sessionId as string | null;
    if (
      req.method === 'POST' &&
      !deps.csrf.isValid((req.body as { _csrf?: unknown })?._csrf, cookie, sessionId)
    ) {
      next(
        new AppError('FORBIDDEN', 'the form has expired or did not come from this site', {
          details: { csrf: true },
        }),
      );
      return;
    }
    if (!cookie) {
      cookie = deps.csrf.newCookieValue();
      res.cookie(CSRF_COOKIE, cookie, cookieOptions(deps.secureCookies));
    }
    res.locals.csrfToken = deps.csrf.tokenFor(cookie, sessionId);
    next();
  };
}

/** Signed-in users only; others go to the sign-in page and come back after. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (userOf(res)) return next();
  if (req.method === 'GET') {
    res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new AppError('UNAUTHENTICATED', 'sign in first'));
};

/** Pages of one role; to everyone else they do not exist (404). */
export const requireRole =
  (...roles: Role[]): RequestHandler =>
  (_req: Request, res: Response, next: NextFunction) => {
    const user = userOf(res);
    if (user && roles.includes(user.role)) return next();
    next(AppError.notFound('page'));
  };
