import { randomBytes } from 'node:crypto';

/**
 * Where the real servers are. `infra/local/start` runs them on these loopback ports; set
 * KAFKA_BROKERS, MONGO_URL and REDIS_URL to use others.
 */
export const servers = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  mongoUrl: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27018',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379',
};

/** A name no other test uses: for topics, groups, databases, queue prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
