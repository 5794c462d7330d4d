import mongoose, { type Connection } from 'mongoose';
import { apiClient, type ApiClient } from './api-client';
import { servers, uniqueName } from './servers';
import { testCheckinTokenKeys, testTokenKeys } from './tokens';

/**
 * Environment for one service started by a test: its own topics (prefix), database and queue
 * keys, an ephemeral port, quiet logs, the real servers, and the public half of the test's
 * service-token keys (`testTokenKeys`), so that `bearerFor` tokens are accepted.
 */
export interface ServiceTestEnv extends Record<string, string> {
  KAFKA_BROKERS: string;
  MONGO_URL: string;
  REDIS_URL: string;
  KAFKA_TOPIC_PREFIX: string;
  MONGO_DB: string;
  QUEUE_PREFIX: string;
  PORT: string;
  LOG_LEVEL: string;
  OUTBOX_POLL_MS: string;
  SERVICE_TOKEN_PUBLIC_KEY: string;
  /** The check-in service's peer-token pair (`testCheckinTokenKeys`): it signs, placement checks. */
  CHECKIN_TOKEN_PRIVATE_KEY: string;
  CHECKIN_TOKEN_PUBLIC_KEY: string;
}

export function serviceTestEnv(
  service: string,
  shared: { topicPrefix?: string } = {},
): ServiceTestEnv {
  const run = uniqueName(service);
  return {
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    MONGO_URL: servers.mongoUrl,
    REDIS_URL: servers.redisUrl,
    KAFKA_TOPIC_PREFIX: shared.topicPrefix ?? `${run}.`,
    MONGO_DB: run.replace(/[^\w]/g, '_'),
    QUEUE_PREFIX: run,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '200',
    SERVICE_TOKEN_PUBLIC_KEY: testTokenKeys.publicJwk,
    CHECKIN_TOKEN_PRIVATE_KEY: testCheckinTokenKeys.privateJwk,
    CHECKIN_TOKEN_PUBLIC_KEY: testCheckinTokenKeys.publicJwk,
  };
}

/** Drops the databases a test's services used. */
export async function dropDatabases(names: string[]): Promise<void> {
  const connection = await mongoose.createConnection(servers.mongoUrl).asPromise();
  try {
    for (const name of names) await connection.useDb(name).dropDatabase();
  } finally {
    await connection.close();
  }
}

/** A service a test started on the real servers, and what the test reaches it by. */
export interface TestService<S> {
  env: ServiceTestEnv;
  service: S;
  url: string;
  /** Calls to its API, with tokens made for it. */
  api: ApiClient;
  /** Its database. */
  db: Connection;
  /** Stops the service, closes the connection and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts the service `name` for a test: `start` gets `serviceTestEnv(name)` and resolves with the
 * service once it is ready to be tested.
 */
export async function startTestService<S extends { port: number; stop(): Promise<void> }>(
  name: string,
  start: (env: ServiceTestEnv) => Promise<S>,
): Promise<TestService<S>> {
  const env = serviceTestEnv(name);
  const service = await start(env);
  const url = `http://127.0.0.1:${service.port}`;
  const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
  return {
    env,
    service,
    url,
    api: apiClient(url, name),
    db,
    async stop() {
      await service.stop();
      await db.close();
      await dropDatabases([env.MONGO_DB]);
    },
  };
}
