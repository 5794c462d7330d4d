import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { findEventDefinition, type Envelope } from '@sanad/contracts';

/** Headers every event carries beside its JSON body, for routing and tracing without parsing. */
export const EventHeaders = {
  eventId: 'event-id',
  type: 'event-type',
  version: 'event-version',
  correlationId: 'correlation-id',
} as const;

/** The one place where an event becomes a Kafka message, and so the one place the key is set. */
export function toKafkaMessage(event: Envelope): Message {
  return {
    key: event.key,
    value: JSON.stringify(event),
    headers: {
      [EventHeaders.eventId]: event.eventId,
      [EventHeaders.type]: event.type,
      [EventHeaders.version]: String(event.version),
      [EventHeaders.correlationId]: event.correlationId,
    },
  };
}

export interface EventPublisher {
  connect(): Promise<void>;
  /** Resolves once every event is stored by all in-sync replicas. Order is kept per key. */
  publish(events: readonly Envelope[]): Promise<void>;
  /** Sends raw messages (used for the dead-letter topics). */
  sendRaw(topic: string, messages: Message[]): Promise<void>;
  disconnect(): Promise<void>;
}

interface Pending {
  topicMessages: TopicMessages[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface PublisherSettings {
  /** Prepended to every topic name, to give tests and side-by-side runs their own topics. */
  topicPrefix?: string;
}

/**
 * A producer that batches by nature: while one request is in flight, every publish that arrives
 * waits and then goes out together in the next request. One request at a time keeps the order of
 * each key even across retries; acks from all in-sync replicas make an acknowledged event durable.
 */
export function createEventPublisher(
  kafka: Kafka,
  { topicPrefix = '' }: PublisherSettings = {},
): EventPublisher {
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner, // murmur2, as Java clients: same key, same partition
    maxInFlightRequests: 1,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5_000 },
  });
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const items = queue;
      queue = [];
      const byTopic = new Map<string, Message[]>();
      for (const item of items) {
        for (const { topic, messages } of item.topicMessages) {
          const list = byTopic.get(topic) ?? [];
          list.push(...messages);
          byTopic.set(topic, list);
        }
      }
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        for (const item of items) item.resolve();
      } catch (error) {
        for (const item of items) item.reject(error);
      }
    }
  };

  const kick = (): void => {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = null;
      if (queue.length > 0) kick();
    });
  };

  const enqueue = (topicMessages: TopicMessages[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({ topicMessages, resolve, reject });
      kick();
    });

  return {
    connect: () => producer.connect(),
    async publish(events) {
      if (events.length === 0) return;
      const topicMessages = events.map((event) => {
        const definition = findEventDefinition(event.type, event.version);
        if (!definition) throw new Error(`unknown event ${event.type} v${event.version}`);
        return { topic: topicPrefix + definition.topic, messages: [toKafkaMessage(event)] };
      });
      await enqueue(topicMessages);
    },
    async sendRaw(topic, messages) {
      await enqueue([{ topic, messages }]);
    },
    async disconnect() {
      await flushing;
      await producer.disconnect();
    },
  };
}
