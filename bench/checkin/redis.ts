/**
 * What the bench reads from Redis itself: memory, CPU, the keys of one queue prefix and their
 * sizes. Every read goes through a plain ioredis client of its own, never a queue's connection.
 */
import type { Redis } from 'ioredis';

function infoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info);
  if (!match?.[1]) throw new Error(`INFO has no ${field}`);
  return Number(match[1]);
}

/** `used_memory` of the whole server, in bytes (other clients' keys included). */
export async function usedMemory(redis: Redis): Promise<number> {
  return infoField(await redis.info('memory'), 'used_memory');
}

/** CPU the server has used since it started (user + system), in ms. */
export async function serverCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  return (infoField(info, 'used_cpu_user') + infoField(info, 'used_cpu_sys')) * 1_000;
}

/** Every key under `prefix:`, by SCAN. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Removes what is left under `prefix:` (an obliterate cut short); resolves how many keys. */
export async function deleteUnder(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
  return keys.length;
}

/** Exact `MEMORY USAGE` (SAMPLES 0: every element counted) of each key, pipelined. */
export async function memoryUsage(redis: Redis, keys: readonly string[]): Promise<number[]> {
  const sizes: number[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 500)) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const replies = (await pipeline.exec()) ?? [];
    for (const [error, size] of replies) {
      if (error) throw error;
      sizes.push(Number(size ?? 0));
    }
  }
  return sizes;
}

export interface QueueFootprint {
  /** Keys under the prefix: job hashes and the queue's own keys. */
  keys: number;
  jobHashes: number;
  /** Mean exact size of the sampled job hashes. */
  jobHashMeanBytes: number;
  jobHashesSampled: number;
  /** The queue's own keys (delayed zset, meta, id, events stream, marker...) and their sizes. */
  queueKeys: Record<string, { type: string; bytes: number }>;
  /** Job hash + the queue's keys shared out per job. */
  bytesPerJob: number;
  /** One stored job hash, field by field, with the length of each value. */
  sampleJob: Record<string, string>;
  sampleJobFieldLengths: Record<string, number>;
}

/**
 * Where the bytes of a queue with `jobIds` scheduled go, from MEMORY USAGE: job hashes sampled
 * evenly, every other key under the prefix in full (the delayed zset holds one entry per job).
 */
export async function queueFootprint(
  redis: Redis,
  prefix: string,
  queueName: string,
  jobIds: readonly string[],
  samples: number,
): Promise<QueueFootprint> {
  const base = `${prefix}:${queueName}:`;
  const jobKeys = new Set(jobIds.map((id) => base + id));
  const keys = await keysUnder(redis, prefix);
  const others = keys.filter((k) => !jobKeys.has(k));
  const step = Math.max(1, Math.floor(jobIds.length / samples));
  const sampled = jobIds.filter((_, i) => i % step === 0).slice(0, samples);
  const hashSizes = await memoryUsage(
    redis,
    sampled.map((id) => base + id),
  );
  const otherSizes = await memoryUsage(redis, others);
  const queueKeys: QueueFootprint['queueKeys'] = {};
  for (const [i, key] of others.entries()) {
    queueKeys[key.startsWith(base) ? key.slice(base.length) : key] = {
      type: await redis.type(key),
      bytes: otherSizes[i] ?? 0,
    };
  }
  const mean = hashSizes.reduce((a, b) => a + b, 0) / Math.max(1, hashSizes.length);
  const sharedBytes = otherSizes.reduce((a, b) => a + b, 0);
  const sampleJob = jobIds[0] ? await redis.hgetall(base + jobIds[0]) : {};
  return {
    keys: keys.length,
    jobHashes: keys.length - others.length,
    jobHashMeanBytes: mean,
    jobHashesSampled: hashSizes.length,
    queueKeys,
    bytesPerJob: mean + sharedBytes / Math.max(1, jobIds.length),
    sampleJob,
    sampleJobFieldLengths: Object.fromEntries(
      Object.entries(sampleJob).map(([field, value]) => [field, Buffer.byteLength(value)]),
    ),
  };
}
