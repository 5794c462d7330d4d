import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface SignInThrottle {
  /** Before checking a password: is this account locked, or this address sending too many? */
  check(email: string, ip: string): Promise<ThrottleVerdict>;
  /** After a wrong password. */
  failed(email: string, ip: string): Promise<void>;
  /** After a right one: the account's count starts again. */
  succeeded(email: string): Promise<void>;
}

/**
 * Lock-out after repeated failures on one account (whoever tries), and a looser limit per address
 * against password spraying. Counts live in Redis, so every web instance sees the same.
 */
export function createSignInThrottle(
  redis: Redis,
  {
    prefix,
    maxFailures,
    lockMinutes,
    maxFailuresPerIp = maxFailures * 10,
  }: { prefix: string; maxFailures: number; lockMinutes: number; maxFailuresPerIp?: number },
): SignInThrottle {
  const seconds = lockMinutes * 60;
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}${name}`,
      points,
      duration: seconds,
    });
  const byAccount = limiter('sign-in-account', maxFailures);
  const byIp = limiter('sign-in-ip', maxFailuresPerIp);
  /** Counts one failure; the one that reaches the limit locks for the full period from now. */
  const countFailure = async (l: RateLimiterRedis, key: string, points: number) => {
    const res = await l.consume(key).catch((rejection: unknown) => {
      if (rejection instanceof Error) throw rejection; // Redis away: let it surface
      return rejection as RateLimiterRes;
    });
    if (res.consumedPoints === points) await l.block(key, seconds);
  };
  const account = (email: string) =>
    createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  const exhausted = (res: RateLimiterRes | null, points: number) =>
    res !== null && res.consumedPoints >= points
      ? Math.max(1, Math.ceil(res.msBeforeNext / 1000))
      : 0;

  return {
    async check(email, ip) {
      const [a, i] = await Promise.all([byAccount.get(account(email)), byIp.get(ip)]);
      const wait = Math.max(exhausted(a, maxFailures), exhausted(i, maxFailuresPerIp));
      return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
    },
    async failed(email, ip) {
      await Promise.all([
        countFailure(byAccount, account(email), maxFailures),
        countFailure(byIp, ip, maxFailuresPerIp),
      ]);
    },
    async succeeded(email) {
      await byAccount.delete(account(email));
    },
  };
}
