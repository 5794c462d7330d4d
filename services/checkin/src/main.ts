import { Redis } from 'ioredis';
import { createAuditLog } from '@sanad/audit';
import { createTokenVerifier, ServiceAudiences } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import {
  createOutboxRelay,
  createWriteLocks,
  runConsumer,
  type OutboxDocument,
} from '@sanad/messaging';
import {
  auditRoutes,
  connectInfrastructure,
  createAuditTrail,
  createHttpApp,
  openApiRoutes,
  redisReady,
  runService,
  serveHttp,
} from '@sanad/service-kit';
import { createLinkRepository } from '@sanad/signed-links';
import { makeCheckinInvitations, makeOpenCheckinLink } from './application/checkin-links';
import { makeFireFollowUps } from './application/fire-follow-ups';
import { makeFollowPlacements } from './application/follow-placements';
import { makeFollowUpPolicies } from './application/follow-up-policies';
import { makeGetFollowUps, makeListDueTasks } from './application/get-follow-ups';
import { makeReconcileFollowUps } from './application/reconcile-follow-ups';
import { makeRecordCheckins } from './application/record-checkins';
import { createInvitationSender } from './clients/placement-invitations.client';
import { loadConfig, type CheckinConfig } from './config';
import { checkinLinkRoutes } from './http/checkin-link.routes';
import { followUpRoutes } from './http/follow-ups.routes';
import { checkinOpenApiDocument } from './http/openapi';
import { policyRoutes } from './http/policy.routes';
import { placementConsentsConsumer } from './messaging/consumers/placement-consents.consumer';
import { placementEventsConsumer } from './messaging/consumers/placement-events.consumer';
import {
  createFollowUpQueue,
  createFollowUpScheduler,
  startFollowUpDueWorker,
} from './messaging/jobs/follow-up-due.job';
import { startReconcileJob } from './messaging/jobs/reconcile.job';
import { createFollowUpPlanRepository } from './persistence/follow-up-plan.repository';
import { createPolicyRepository } from './persistence/policy.repository';

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
  await plans.ensureIndexes();
  const auditLog = createAuditLog(db, { service: 'checkin' });
  await auditLog.ensureIndexes();
  // Answers about a person's work and wellbeing are personal data: each read and write is recorded.
  const audit = createAuditTrail(auditLog, logger, { linkPurpose: 'follow-up' });
  const policyStore = createPolicyRepository(db);
  const links = createLinkRepository(db);
  await links.ensureIndexes();
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
  const invitations = makeCheckinInvitations({
    links,
    sender: config.CHECKIN_TOKEN_PRIVATE_KEY
      ? createInvitationSender({
          placementUrl: config.PLACEMENT_URL,
          privateKey: config.CHECKIN_TOKEN_PRIVATE_KEY,
        })
      : null,
    settings: { webBaseUrl: config.WEB_BASE_URL, extraDays: config.CHECKIN_LINK_EXTRA_DAYS },
  });
  const follow = makeFollowPlacements({
    plans,
    policies: policyStore,
    scheduler,
    links,
    outbox: relay,
    clock,
  });
  const fire = makeFireFollowUps({
    plans,
    scheduler,
    invitations,
    outbox: relay,
    clock,
  });
  const reconcile = makeReconcileFollowUps({ plans, scheduler, fire, clock });
  const recordCheckins = makeRecordCheckins({ plans, outbox: relay, clock, audit });
  const policies = makeFollowUpPolicies({
    policies: policyStore,
    plans,
    scheduler,
    outbox: relay,
    clock,
  });

  // Each worker blocks on its own connection; BullMQ does not close a connection it was given.
  const workerRedis = redis.duplicate();
  const worker = startFollowUpDueWorker(
    { connection: workerRedis, prefix: config.QUEUE_PREFIX },
    fire,
    logger,
  );
  const reconcileRedis = redis.duplicate();
  const reconcileJob = await startReconcileJob(
    { connection: reconcileRedis, prefix: config.QUEUE_PREFIX },
    reconcile,
    config.RECONCILE_EVERY_MS,
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
  const consumer = await runConsumer(placementEventsConsumer(follow), consumerRuntime);
  const consentsConsumer = await runConsumer(placementConsentsConsumer(follow), consumerRuntime);

  const app = createHttpApp({
    logger,
    readiness: { ...infra.readiness, redis: redisReady(redis) },
    verifier: createTokenVerifier(config.SERVICE_TOKEN_PUBLIC_KEY, {
      audience: ServiceAudiences.checkin,
    }),
    routes: [
      followUpRoutes({
        getFollowUps: makeGetFollowUps({ plans, scheduler, audit }),
        listDueTasks: makeListDueTasks({ plans }),
        recordCheckins,
        reconcile,
      }),
      policyRoutes({ policies }),
      auditRoutes(auditLog),
    ],
    publicRoutes: [
      openApiRoutes(checkinOpenApiDocument()),
      checkinLinkRoutes({ openLink: makeOpenCheckinLink({ links, plans }), recordCheckins }),
    ],
  });
  const http = await serveHttp(app, config, logger);

  const stop = async () => {
    await http.close();
    await consumer.stop();
    await consentsConsumer.stop();
    await worker.close();
    await reconcileJob.worker.close();
    workerRedis.disconnect();
    reconcileRedis.disconnect();
    await relay.stop();
    await reconcileJob.queue.close();
    await queue.close();
    redis.disconnect();
    await infra.close();
  };
  return {
    port: http.port,
    app,
    stop,
    logger,
    consumer,
    consentsConsumer,
    /** For tests and operators: compare plans with jobs now. */
    reconcile,
    fire,
  };
}

if (require.main === module) {
  runService('check-in service', (onFatal) => startCheckinService(loadConfig(), onFatal));
}
