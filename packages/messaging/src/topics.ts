import type { Admin } from 'kafkajs';
import { dlqTopicOf } from '@sanad/contracts';

export interface TopicSettings {
  partitions?: number;
  replicationFactor?: number;
}

/**
 * Creates each topic and its dead-letter topic if they are missing. Idempotent: safe to call at
 * every start of every service.
 */
export async function ensureTopics(
  admin: Admin,
  topics: string[],
  { partitions = 6, replicationFactor = 1 }: TopicSettings = {},
): Promise<void> {
  const wanted = [...new Set(topics.flatMap((t) => [t, dlqTopicOf(t)]))];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: topic.endsWith('.dlq') ? 1 : partitions,
      replicationFactor,
    })),
  });
}
