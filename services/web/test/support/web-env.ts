import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { dropDatabases, servers, serviceTestEnv, testTokenKeys } from '@sanad/testing';
import { createPasswordHasher } from '../../src/identity/passwords';
import { createUserRepository } from '../../src/persistence/users.repository';

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

export const ROLES = ['admin', 'programme-manager', 'coach', 'employer-user'] as const;
export type TestRole = (typeof ROLES)[number];
export interface SeededUser {
  id: string;
  email: string;
  programmeIds: string[];
  employerId: string | null;
}

/**
 * One active user per role in the web app's database, all with `password`: the manager and the
 * coach share one programme, the employer user has an employer.
 */
export async function seedUsers(
  env: { MONGO_URL: string; MONGO_DB: string },
  password: string,
  tag = 'seeded',
  /** The employer user's organisation (an employer the placement service knows), else a new id. */
  employerId: string = randomUUID(),
): Promise<Record<TestRole, SeededUser>> {
  const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
  try {
    const users = createUserRepository(db);
    const hash = await createPasswordHasher({ memoryKiB: 8192, passes: 1 }).hash(password);
    const programmeId = randomUUID();
    const seeded = {} as Record<TestRole, SeededUser>;
    for (const role of ROLES) {
      const user: SeededUser = {
        id: randomUUID(),
        email: `${role}@${tag}.test`,
        programmeIds: role === 'programme-manager' || role === 'coach' ? [programmeId] : [],
        employerId: role === 'employer-user' ? employerId : null,
      };
      const now = new Date();
      await users.insert({
        ...user,
        displayName: `${role} (${tag})`,
        role,
        locale: 'en',
        status: 'active',
        passwordHash: hash,
        invitation: null,
        createdAt: now,
        updatedAt: now,
      });
      seeded[role] = user;
    }
    return seeded;
  } finally {
    await db.close();
  }
}
