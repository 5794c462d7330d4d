import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Session {
  userId: string;
  createdAt: number;
}

export interface SessionStore {
  /** A new session; returns the secret id that goes in the cookie (and nowhere else). */
  create(userId: string): Promise<string>;
  /** The session, refreshed, or null when unknown, idle too long or past its maximum age. */
  get(id: string): Promise<Session | null>;
  destroy(id: string): Promise<void>;
  /** Sign-out everywhere: every session of the user, on every device. */
  destroyAllFor(userId: string): Promise<number>;
}

/**
 * Sessions in Redis, so they survive a restart of the web app and are shared by its instances.
 * Keys hold a hash of the session id, so a copy of Redis opens no session. Each user has a set of
 * their sessions, for sign-out everywhere.
 */
export function createSessionStore(
  redis: Redis,
  {
    prefix,
    idleSeconds,
    maxSeconds,
    now = Date.now,
  }: { prefix: string; idleSeconds: number; maxSeconds: number; now?: () => number },
): SessionStore {
  const keyOf = (id: string) => `${prefix}session:${createHash('sha256').update(id).digest('hex')}`;
  const userKey = (userId: string) => `${prefix}user-sessions:${userId}`;

  return {
    async create(userId) {
      const id = randomBytes(32).toString('base64url');
      const key = keyOf(id);
      const session: Session = { userId, createdAt: now() };
      await redis
        .multi()
        .set(key, JSON.stringify(session), 'EX', idleSeconds)
        .sadd(userKey(userId), key)
        .expire(userKey(userId), maxSeconds)
        .exec();
      return id;
    },

    async get(id) {
      if (!/^[\w-]{43}$/.test(id)) return null;
      const key = keyOf(id);
      // one round trip on every request: read it and push its idle expiry back
      const raw = await redis.getex(key, 'EX', idleSeconds);
      if (!raw) return null;
      const session = JSON.parse(raw) as Session;
      const age = (now() - session.createdAt) / 1000;
      if (age >= maxSeconds) {
        await redis.multi().del(key).srem(userKey(session.userId), key).exec();
        return null;
      }
      // near its maximum age, a session may not live a whole idle period more
      if (maxSeconds - age < idleSeconds) await redis.expire(key, Math.ceil(maxSeconds - age));
      return session;
    },

    async destroy(id) {
      const key = keyOf(id);
      const raw = await redis.get(key);
      const tx = redis.multi().del(key);
      if (raw) tx.srem(userKey((JSON.parse(raw) as Session).userId), key);
      await tx.exec();
    },

    async destroyAllFor(userId) {
      const keys = await redis.smembers(userKey(userId));
      await redis.del(userKey(userId), ...keys);
      return keys.length;
    },
  };
}
