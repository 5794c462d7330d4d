import type { CookieOptions, Request } from 'express';
import { parse } from 'cookie';

export const SESSION_COOKIE = 'sanad_session';
export const CSRF_COOKIE = 'sanad_csrf';

export const cookiesOf = (req: Request): Record<string, string | undefined> =>
  parse(req.headers.cookie ?? '');

/** HttpOnly, SameSite=Lax, Secure unless turned off, whole site. */
export const cookieOptions = (secure: boolean, maxAgeMs?: number): CookieOptions => ({
  httpOnly: true,
  secure,
  sameSite: 'lax',
  path: '/',
  ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
});
