import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { eventSchema, PlacementRecordedV1, Topics, type Envelope } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createTopics,
  createTestDatabase,
  placementRecordedEvent,
  servers,
  testKafka,
  uniqueName,
} from '@sanad/testing';
import {
  createEventPublisher,
  createKafka,
  defineConsumer,
  runConsumer,
  type ConsumerRuntime,
  type RunningConsumer,
} from '../src';

export const logger = createLogger({
  service: 'test',
  level: process.env.TEST_LOG_LEVEL ?? 'silent',
});

/** A fresh placement.recorded event (a new placement unless one is given). */
export const recordedEvent = (placementId: string = randomUUID(), hoursPerWeek = 30): Envelope =>
  placementRecordedEvent({ placementId, hoursPerWeek });

export const EFFECTS = 'effects';

/**
 * The effect under test is deliberately NOT idempotent: it adds one to a counter per placement and
 * appends the hours to a list. Only the inbox stands between a duplicate delivery and a double count.
 */
export const countingConsumer = (name = 'test-counter') =>
  defineConsumer({
    name,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1),
    maxAttempts: 2,
    async handle(event, { log }) {
      void log;
      if (event.data.jobTitle === 'throw') throw new Error('handler refuses this one');
      await currentDb()
        .collection(EFFECTS)
        .updateOne(
          { _id: event.data.placementId as never },
          { $inc: { count: 1 }, $push: { hours: event.data.hoursPerWeek } as never },
          { upsert: true },
        );
    },
  });

let db: Connection | null = null;
const currentDb = () => {
  if (!db) throw new Error('no database');
  return db;
};

export interface Harness {
  prefix: string;
  topic: string;
  db: Connection;
  kafka: ReturnType<typeof createKafka>;
  publisher: ReturnType<typeof createEventPublisher>;
  logger: typeof logger;
  start(
    def?: ReturnType<typeof countingConsumer>,
    extra?: Partial<ConsumerRuntime>,
  ): Promise<RunningConsumer>;
  effects(placementId: string): Promise<{ count: number; hours: number[] } | null>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const prefix = `${uniqueName('t')}.`;
  const topic = prefix + Topics.placement;
  await createTopics(testKafka(), [topic], 3);
  const database = await createTestDatabase('messaging');
  db = database.db;
  const kafka = createKafka({ clientId: prefix, brokers: servers.kafkaBrokers, logger });
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  await publisher.connect();
  const running: RunningConsumer[] = [];
  return {
    prefix,
    topic,
    db: database.db,
    kafka,
    publisher,
    logger,
    async start(def = countingConsumer(), extra = {}) {
      const consumer = await runConsumer(def, {
        kafka,
        db: database.db,
        publisher,
        logger,
        topicPrefix: prefix,
        retryDelayMs: 10,
        onFatal: (error) => {
          throw error;
        },
        ...extra,
      });
      running.push(consumer);
      await consumer.joined;
      return consumer;
    },
    async effects(placementId) {
      const doc = await database.db.collection(EFFECTS).findOne({ _id: placementId as never });
      return doc ? { count: doc.count as number, hours: doc.hours as number[] } : null;
    },
    async close() {
      await Promise.all(running.map((c) => c.stop()));
      await publisher.disconnect();
      await database.close();
    },
  };
}
