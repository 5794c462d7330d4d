import { Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import { servers, uniqueName } from './servers';
import { waitFor } from './wait-for';

export function testKafka(clientId = uniqueName('test')): Kafka {
  return new Kafka({ clientId, brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** Creates fresh topics (and their `.dlq`) with the given partitions and returns their names. */
export async function createTopics(kafka: Kafka, names: string[], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names.flatMap((topic) => [
        { topic, numPartitions: partitions, replicationFactor: 1 },
        { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 1 },
      ]),
    });
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

/**
 * Reads a topic from the beginning with a fresh group until `count` messages have arrived (or the
 * hard timeout passes), then keeps listening `settleMs` longer to catch any extra (duplicate) ones.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  {
    count = 1,
    until,
    timeoutMs = 20_000,
    settleMs = 0,
  }: {
    count?: number;
    /** Read until this holds of the messages read (instead of until `count` are read). */
    until?: (messages: ReadMessage[]) => boolean;
    timeoutMs?: number;
    settleMs?: number;
  },
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), sessionTimeout: 10_000 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }: { message: KafkaMessage; partition: number }) => {
        messages.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: headersOf(message.headers),
          partition,
          offset: message.offset,
        });
      },
    });
    await waitFor(() => (until ? until(messages) : messages.length >= count), {
      timeoutMs,
      what: until ? `the awaited messages on ${topic}` : `${count} messages on ${topic}`,
    });
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Waits until a consumer group has committed every message now on the topic: after that, nothing
 * more will be processed, so what the test sees is final (used to prove something did NOT happen).
 */
export async function waitForGroupCaughtUp(
  kafka: Kafka,
  groupId: string,
  topic: string,
  timeoutMs = 20_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return ends.every((end) => {
          const c = committed?.partitions.find((p) => p.partition === end.partition);
          return (
            Number(end.offset) === 0 || (c !== undefined && Number(c.offset) >= Number(end.offset))
          );
        });
      },
      { timeoutMs, intervalMs: 100, what: `group ${groupId} to commit all of ${topic}` },
    );
  } finally {
    await admin.disconnect();
  }
}

/** An event as a test reads it off a topic: its key and its parsed envelope. */
export interface PublishedEvent {
  key: string | null;
  event: { eventId: string; type: string; correlationId: string; data: Record<string, unknown> };
}

export interface EventCollector {
  /** Every event read so far, in the order read. */
  events: PublishedEvent[];
  /** Waits until `events` holds every message now on the topic: what it shows then is final. */
  readAll(): Promise<void>;
  stop(): Promise<void>;
}

/** Reads a topic from the beginning with a fresh group, for as long as the test runs. */
export async function collectEvents(kafka: Kafka, topic: string): Promise<EventCollector> {
  const events: PublishedEvent[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('reader'), sessionTimeout: 10_000 });
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      events.push({
        key: message.key?.toString() ?? null,
        event: JSON.parse(message.value?.toString() ?? '{}'),
      });
    },
  });
  return {
    events,
    async readAll() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const total = (await admin.fetchTopicOffsets(topic)).reduce(
          (n, o) => n + Number(o.high),
          0,
        );
        await waitFor(() => events.length >= total, { what: `${total} messages read` });
      } finally {
        await admin.disconnect();
      }
    },
    stop: () => reader.disconnect(),
  };
}
