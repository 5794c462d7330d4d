import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { servers, uniqueName } from '@sanad/testing';
import { createSessionStore } from '../src/identity/sessions';

/** Sessions on the real Redis: idle and maximum lifetimes, sign-out everywhere, nothing readable. */
describe('session store on the real Redis', () => {
  const redis = new Redis(servers.redisUrl);
  const prefix = `${uniqueName('sessions')}:`;
  let clock = Date.now();
  const store = createSessionStore(redis, {
    prefix,
    idleSeconds: 600,
    maxSeconds: 3600,
    now: () => clock,
  });
  const keyOf = (id: string) => `${prefix}session:${createHash('sha256').update(id).digest('hex')}`;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('keeps only a hash of the id in Redis, and refreshes the idle expiry on use', async () => {
    const id = await store.create('user-1');
    expect(await redis.keys(`${prefix}*${id}*`)).toEqual([]);
    await redis.expire(keyOf(id), 10);
    expect(await store.get(id)).toMatchObject({ userId: 'user-1' });
    expect(await redis.ttl(keyOf(id))).toBeGreaterThan(590);
  });

  it('never lets a session outlive its maximum age, however busy', async () => {
    const id = await store.create('user-2');
    clock += 3_300_000; // 55 minutes on: 5 left of the hour
    expect(await store.get(id)).not.toBeNull();
    expect(await redis.ttl(keyOf(id))).toBeLessThanOrEqual(300);
    clock += 300_000;
    expect(await store.get(id)).toBeNull();
    expect(await redis.exists(keyOf(id))).toBe(0);
  });

  it('ends every session of a user at once, and no one else’s', async () => {
    const laptop = await store.create('user-3');
    const phone = await store.create('user-3');
    const other = await store.create('user-4');
    expect(await store.destroyAllFor('user-3')).toBe(2);
    expect(await store.get(laptop)).toBeNull();
    expect(await store.get(phone)).toBeNull();
    expect(await store.get(other)).not.toBeNull();
  });

  it('refuses ids that are not ours without asking Redis', async () => {
    expect(await store.get('not-a-session-id')).toBeNull();
  });
});
