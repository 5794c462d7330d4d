import { Redis } from 'ioredis';
import { createTokenVerifier, ServiceAudiences } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import { createWriteLocks, runConsumer } from '@sanad/messaging';
import {
  connectInfrastructure,
  createHttpApp,
  redisReady,
  runService,
  serveHttp,
} from '@sanad/service-kit';
import { makeGetFacts } from './application/get-facts';
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
  // It publishes nothing yet but dead letters; alert.events is created for what comes next.
  const infra = await connectInfrastructure('alerting', config, [
    Topics.placement,
    Topics.checkin,
    Topics.alert,
  ]);
  const { logger, db, kafka, publisher } = infra;
  // Escalation jobs (BullMQ) will live in Redis; the connection is checked for readiness now.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });

  const facts = createPlacementFactsRepository(db, createWriteLocks());
  const recordFacts = makeRecordFacts(facts);
  const runtime = {
    kafka,
    db,
    publisher,
    logger,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    onFatal,
  };
  const consumers = await Promise.all([
    runConsumer(placementEventsConsumer(recordFacts), runtime),
    runConsumer(checkinEventsConsumer(recordFacts), runtime),
  ]);

  const app = createHttpApp({
    logger,
    readiness: { ...infra.readiness, redis: redisReady(redis) },
    verifier: createTokenVerifier(config.SERVICE_TOKEN_PUBLIC_KEY, {
      audience: ServiceAudiences.alerting,
    }),
    routes: [placementFactsRoutes({ getFacts: makeGetFacts(facts) })],
  });
  const http = await serveHttp(app, config, logger);

  const stop = async () => {
    await http.close();
    await Promise.all(consumers.map((c) => c.stop()));
    redis.disconnect();
    await infra.close();
  };
  return { port: http.port, app, stop, logger, consumers };
}

if (require.main === module) {
  runService('alerting service', (onFatal) => startAlertingService(loadConfig(), onFatal));
}
