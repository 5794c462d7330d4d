import { createHmac, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * CSRF tokens by the signed double-submit pattern (OWASP): every visitor has a random `sanad_csrf`
 * cookie, and a form carries an HMAC of that cookie and the session id. A site that can't read our
 * cookies can't make the token, and a token from before sign-in stops working after it.
 */
export interface CsrfTokens {
  newCookieValue(): string;
  tokenFor(cookieValue: string, sessionId: string | null): string;
  isValid(token: unknown, cookieValue: string | undefined, sessionId: string | null): boolean;
}

/** The HMAC key is derived (HKDF) from the web app's signing key: no second secret to manage. */
export function createCsrfTokens(signingKey: KeyObject): CsrfTokens {
  const secret = signingKey.export({ format: 'jwk' }).d;
  if (!secret) throw new Error('the signing key has no private part');
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'base64url'), 'sanad', 'csrf tokens', 32),
  );
  const tokenFor = (cookieValue: string, sessionId: string | null) =>
    createHmac('sha256', key)
      .update(`${cookieValue}|${sessionId ?? ''}`)
      .digest('base64url');
  return {
    newCookieValue: () => randomBytes(24).toString('base64url'),
    tokenFor,
    isValid(token, cookieValue, sessionId) {
      if (typeof token !== 'string' || !cookieValue) return false;
      const expected = Buffer.from(tokenFor(cookieValue, sessionId));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
