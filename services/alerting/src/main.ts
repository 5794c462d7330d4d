import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { Topics } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createEventPublisher,
  createKafka,
  createWriteLocks,
  ensureTopics,
  runConsumer,
} from '@sanad/messaging';
import {
  closeServer,
  createHttpApp,
  kafkaReady,
  listen,
  mongoReady,
  redisReady,
  runService,
} from '@sanad/service-kit';
import { makeRecordFacts } from './application/record-facts';
import { loadConfig, type AlertingConfig } from './config';
import { placementFactsRoutes } from './http/placement-facts.routes';
import { checkinEventsConsumer } from './messaging/consumers/checkin-events.consumer';
import { placementEventsConsumer } from './messaging/consumers/placement-events.consumer';
import { createPlacementFactsRepository } from './persistence/placement-facts.repository';

/** Composition root of the alerting service. */
export async function startAlertingService(
  config: AlertingConfig,
  onFatal: (error: unknown) => void,
) {
  const logger = createLogger({ service: 'alerting', level: config.LOG_LEVEL });
  const db = await mongoose
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  // Escalation jobs (BullMQ) will live in Redis; the connection is checked for readiness now.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const kafka = createKafka({ clientId: 'alerting', brokers: config.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [Topics.placement, Topics.checkin, Topics.alert].map((t) => config.KAFKA_TOPIC_PREFIX + t),
  );
  // Publishes nothing yet but dead letters.
  const publisher = createEventPublisher(kafka, { topicPrefix: config.KAFKA_TOPIC_PREFIX });
  await publisher.connect();

  const facts = createPlacementFactsRepository(db, createWriteLocks());
  const recordFacts = makeRecordFacts(facts);
  const runtime = { kafka, db, publisher, logger, topicPrefix: config.KAFKA_TOPIC_PREFIX, onFatal };
  const consumers = await Promise.all([
    runConsumer(placementEventsConsumer(recordFacts), runtime),
    runConsumer(checkinEventsConsumer(recordFacts), runtime),
  ]);

  const app = createHttpApp({
    logger,
    readiness: { mongo: mongoReady(db), kafka: kafkaReady(admin), redis: redisReady(redis) },
    routes: [placementFactsRoutes(facts)],
  });
  const server = createServer(app);
  await listen(server, config.PORT, config.HTTP_HOST);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port }, 'alerting service listening');

  const stop = async () => {
    await closeServer(server);
    await Promise.all(consumers.map((c) => c.stop()));
    await publisher.disconnect();
    await admin.disconnect();
    redis.disconnect();
    await db.close();
  };
  return { port, stop, logger, consumers };
}

if (require.main === module) {
  runService('alerting service', (onFatal) => startAlertingService(loadConfig(), onFatal));
}
