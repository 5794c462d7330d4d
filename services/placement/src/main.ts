import { createServer } from 'node:http';
import mongoose from 'mongoose';
import { Topics } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createEventPublisher,
  createKafka,
  createOutboxRelay,
  createWriteLocks,
  ensureTopics,
  type OutboxDocument,
} from '@sanad/messaging';
import {
  closeServer,
  createHttpApp,
  kafkaReady,
  listen,
  mongoReady,
  runService,
} from '@sanad/service-kit';
import { makeRecordPlacement } from './application/record-placement';
import { loadConfig, type PlacementConfig } from './config';
import { placementRoutes } from './http/placements.routes';
import { createPlacementRepository } from './persistence/placement.repository';

/** Composition root: connections, use cases, HTTP and the outbox relay, wired by hand. */
export async function startPlacementService(config: PlacementConfig) {
  const logger = createLogger({ service: 'placement', level: config.LOG_LEVEL });
  const db = await mongoose
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  const kafka = createKafka({ clientId: 'placement', brokers: config.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [config.KAFKA_TOPIC_PREFIX + Topics.placement]);
  const publisher = createEventPublisher(kafka, { topicPrefix: config.KAFKA_TOPIC_PREFIX });
  await publisher.connect();

  const locks = createWriteLocks();
  const placements = createPlacementRepository(db);
  const relay = createOutboxRelay({
    collections: [db.collection<OutboxDocument>('placements') as never],
    publisher,
    locks,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_MS,
  });
  relay.start();
  const recordPlacement = makeRecordPlacement({
    placements,
    clock: { now: () => new Date() },
    outbox: relay,
  });

  const app = createHttpApp({
    logger,
    readiness: { mongo: mongoReady(db), kafka: kafkaReady(admin) },
    routes: [placementRoutes({ recordPlacement, placements })],
  });
  const server = createServer(app);
  await listen(server, config.PORT, config.HTTP_HOST);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port }, 'placement service listening');

  const stop = async () => {
    await closeServer(server);
    await relay.stop();
    await publisher.disconnect();
    await admin.disconnect();
    await db.close();
  };
  return { port, stop, logger };
}

if (require.main === module) {
  runService('placement service', () => startPlacementService(loadConfig()));
}
