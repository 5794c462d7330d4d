import { Redis } from 'ioredis';
import { dropDatabases, servers, serviceTestEnv, testTokenKeys } from '@sanad/testing';

export const ADMIN_EMAIL = 'admin@sanad.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** The web app's environment for one test file: its own database and Redis keys, a first admin. */
export function webTestEnv(overrides: Record<string, string> = {}) {
  const base = serviceTestEnv('web');
  return {
    ...base,
    REDIS_KEY_PREFIX: `${base.QUEUE_PREFIX}:`,
    // the same pair as the services a test starts (serviceTestEnv gives them the public half)
    SERVICE_TOKEN_PRIVATE_KEY: testTokenKeys.privateJwk,
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // the cheapest argon2id the config allows: the tests check behaviour, not cost
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_PASSES: '1',
    PLACEMENT_URL: 'http://127.0.0.1:9', // nothing listens: the home page says placements are away
    ...overrides,
  };
}

/** Drops the web app's test database and its Redis keys (sessions, sign-in counts). */
export async function cleanUpWebTest(env: { MONGO_DB: string; REDIS_KEY_PREFIX: string }) {
  await dropDatabases([env.MONGO_DB]);
  const redis = new Redis(servers.redisUrl);
  try {
    const keys = await redis.keys(`${env.REDIS_KEY_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}
