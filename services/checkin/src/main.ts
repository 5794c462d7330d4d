import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { Topics } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createEventPublisher,
  createKafka,
  createOutboxRelay,
  createWriteLocks,
  ensureTopics,
  runConsumer,
  type OutboxDocument,
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
import { makeMarkCheckinDue } from './application/mark-checkin-due';
import { makePlanFollowUps } from './application/plan-follow-ups';
import { loadConfig, type CheckinConfig } from './config';
import { DEFAULT_POLICY } from './domain/follow-up-plan';
import { followUpRoutes } from './http/follow-ups.routes';
import { placementEventsConsumer } from './messaging/consumers/placement-events.consumer';
import {
  createFollowUpQueue,
  createFollowUpScheduler,
  startFollowUpDueWorker,
} from './messaging/jobs/follow-up-due.job';
import { createFollowUpPlanRepository } from './persistence/follow-up-plan.repository';

/** Composition root of the check-in service. `onFatal` is told when a consumer gives up. */
export async function startCheckinService(
  config: CheckinConfig,
  onFatal: (error: unknown) => void,
) {
  const logger = createLogger({ service: 'checkin', level: config.LOG_LEVEL });
  const clock = { now: () => new Date() };
  const db = await mongoose
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  // BullMQ needs `maxRetriesPerRequest: null` so that a blocked worker waits out a Redis restart.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const kafka = createKafka({ clientId: 'checkin', brokers: config.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [Topics.checkin, Topics.placement].map((t) => config.KAFKA_TOPIC_PREFIX + t),
  );
  const publisher = createEventPublisher(kafka, { topicPrefix: config.KAFKA_TOPIC_PREFIX });
  await publisher.connect();

  const locks = createWriteLocks();
  const plans = createFollowUpPlanRepository(db, locks);
  const relay = createOutboxRelay({
    collections: [db.collection<OutboxDocument>('follow_up_plans') as never],
    publisher,
    locks,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_MS,
  });
  relay.start();

  const queueSettings = { connection: redis, prefix: config.QUEUE_PREFIX };
  const queue = createFollowUpQueue(queueSettings);
  const scheduler = createFollowUpScheduler(queue);
  const planFollowUps = makePlanFollowUps({
    plans,
    scheduler,
    outbox: relay,
    clock,
    policy: DEFAULT_POLICY,
  });
  const markDue = makeMarkCheckinDue({ plans, outbox: relay, clock });
  // A worker blocks on its own connection; BullMQ does not close a connection it was given.
  const workerRedis = redis.duplicate();
  const worker = startFollowUpDueWorker(
    { connection: workerRedis, prefix: config.QUEUE_PREFIX },
    markDue,
    logger,
  );

  const consumer = await runConsumer(placementEventsConsumer(planFollowUps), {
    kafka,
    db,
    publisher,
    logger,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    onFatal,
  });

  const app = createHttpApp({
    logger,
    readiness: { mongo: mongoReady(db), kafka: kafkaReady(admin), redis: redisReady(redis) },
    routes: [followUpRoutes({ plans, scheduler })],
  });
  const server = createServer(app);
  await listen(server, config.PORT, config.HTTP_HOST);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port }, 'check-in service listening');

  const stop = async () => {
    await closeServer(server);
    await consumer.stop();
    await worker.close();
    workerRedis.disconnect();
    await relay.stop();
    await queue.close();
    await publisher.disconnect();
    await admin.disconnect();
    redis.disconnect();
    await db.close();
  };
  return { port, stop, logger, consumer };
}

if (require.main === module) {
  runService('check-in service', (onFatal) => startCheckinService(loadConfig(), onFatal));
}
