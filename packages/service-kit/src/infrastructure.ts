import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Admin, Kafka } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import type { CommonEnv } from '@sanad/config';
import type { Topic } from '@sanad/contracts';
import { createLogger, type Logger } from '@sanad/logger';
import {
  createEventPublisher,
  createKafka,
  ensureTopics,
  type EventPublisher,
} from '@sanad/messaging';
import type { ReadinessCheck } from './http-app';
import { closeServer, listen } from './lifecycle';
import { kafkaReady, mongoReady } from './readiness';

export interface Infrastructure {
  logger: Logger;
  db: Connection;
  kafka: Kafka;
  admin: Admin;
  publisher: EventPublisher;
  /** Checks for /readyz: the database and the broker. */
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/**
 * What every service connects to at start: its own database, the broker (with its topics and their
 * dead-letter topics created if missing) and a connected publisher.
 */
export async function connectInfrastructure(
  service: string,
  config: CommonEnv & { MONGO_DB: string },
  topics: Topic[],
): Promise<Infrastructure> {
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const db = await mongoose
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  const kafka = createKafka({ clientId: service, brokers: config.KAFKA_BROKERS, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    topics.map((t) => config.KAFKA_TOPIC_PREFIX + t),
  );
  const publisher = createEventPublisher(kafka, { topicPrefix: config.KAFKA_TOPIC_PREFIX });
  await publisher.connect();
  return {
    logger,
    db,
    kafka,
    admin,
    publisher,
    readiness: { mongo: mongoReady(db), kafka: kafkaReady(admin) },
    async close() {
      await publisher.disconnect();
      await admin.disconnect();
      await db.close();
    },
  };
}

export interface HttpServer {
  server: Server;
  /** The port actually bound (PORT=0 asks for any free one). */
  port: number;
  close(): Promise<void>;
}

export async function serveHttp(
  app: Express,
  config: { PORT: number; HTTP_HOST: string },
  logger: Logger,
): Promise<HttpServer> {
  const server = createServer(app);
  await listen(server, config.PORT, config.HTTP_HOST);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port }, 'listening');
  return { server, port, close: () => closeServer(server) };
}
