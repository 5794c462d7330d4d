import { Redis } from 'ioredis';
import { createTokenVerifier, ServiceAudiences } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import {
  createOutboxRelay,
  createWriteLocks,
  runConsumer,
  type OutboxDocument,
} from '@sanad/messaging';
import {
  connectInfrastructure,
  createHttpApp,
  redisReady,
  runService,
  serveHttp,
} from '@sanad/service-kit';
import { makeGetFollowUps } from './application/get-follow-ups';
import { makeMarkCheckinDue } from './application/mark-checkin-due';
import { makePlanFollowUps } from './application/plan-follow-ups';
import { makeRecordCoachChange } from './application/record-coach-change';
import { makeRecordConsents } from './application/record-consents';
import { loadConfig, type CheckinConfig } from './config';
import { DEFAULT_POLICY } from './domain/follow-up-plan';
import { followUpRoutes } from './http/follow-ups.routes';
import { placementConsentsConsumer } from './messaging/consumers/placement-consents.consumer';
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
  const infra = await connectInfrastructure('checkin', config, [Topics.checkin, Topics.placement]);
  const { logger, db, kafka, publisher } = infra;
  const clock = { now: () => new Date() };
  // BullMQ needs `maxRetriesPerRequest: null` so that a blocked worker waits out a Redis restart.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });

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

  const consumerRuntime = {
    kafka,
    db,
    publisher,
    logger,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    onFatal,
  };
  const consumer = await runConsumer(
    placementEventsConsumer(planFollowUps, makeRecordCoachChange({ plans })),
    consumerRuntime,
  );
  const consentsConsumer = await runConsumer(
    placementConsentsConsumer(makeRecordConsents({ plans })),
    consumerRuntime,
  );

  const app = createHttpApp({
    logger,
    readiness: { ...infra.readiness, redis: redisReady(redis) },
    verifier: createTokenVerifier(config.SERVICE_TOKEN_PUBLIC_KEY, {
      audience: ServiceAudiences.checkin,
    }),
    routes: [followUpRoutes({ getFollowUps: makeGetFollowUps({ plans, scheduler }) })],
  });
  const http = await serveHttp(app, config, logger);

  const stop = async () => {
    await http.close();
    await consumer.stop();
    await consentsConsumer.stop();
    await worker.close();
    workerRedis.disconnect();
    await relay.stop();
    await queue.close();
    redis.disconnect();
    await infra.close();
  };
  return { port: http.port, app, stop, logger, consumer, consentsConsumer };
}

if (require.main === module) {
  runService('check-in service', (onFatal) => startCheckinService(loadConfig(), onFatal));
}
