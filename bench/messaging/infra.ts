import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import type { Envelope } from '@sanad/contracts';
import { createLogger, type Logger } from '@sanad/logger';
import { createKafka } from '@sanad/messaging';
import { createTopics, placementRecordedEvent, uniqueName } from '@sanad/testing';
import type { BenchConfig } from './config';
import { CommandMonitor } from './monitor';

/** The servers and clients a run shares, and what it created there, so that it can all be removed. */
export interface Infra {
  runId: string;
  /** One client for both sides: same connection, timeout and retry settings. */
  kafka: Kafka;
  logger: Logger;
  /** Native driver, for the bare side and for housekeeping. */
  mongo: MongoClient;
  /** Mongoose, for `runConsumer` (which takes a mongoose Connection); same driver underneath. */
  mongoose: Connection;
  commands: CommandMonitor;
  /** Creates `<runId>.<label>.<topic>` (and its `.dlq`) for each topic; returns the prefix. */
  createPrefixedTopics(label: string, topics: string[]): Promise<string>;
  newDatabaseName(label: string): string;
  newGroupId(label: string): string;
  dropDatabase(name: string): Promise<void>;
  /**
   * Registers a client to stop (consumer, producer) and returns its stop, which runs at most once.
   * `close` runs whatever was not stopped yet first, so that an abandoned run's consumer cannot
   * write into a database after it was dropped.
   */
  stopOnClose(stop: () => Promise<void>): () => Promise<void>;
  close(): Promise<CleanupReport>;
}

export interface CleanupReport {
  topicsDeleted: number;
  groupsDeleted: number;
  databasesDropped: number;
}

export async function openInfra(config: BenchConfig): Promise<Infra> {
  const runId = uniqueName('bench');
  const logger = createLogger({ service: 'bench', level: 'silent' });
  const kafka = createKafka({ clientId: runId, brokers: config.kafkaBrokers, logger });
  const commands = new CommandMonitor();

  const mongo = new MongoClient(config.mongoUrl, {
    monitorCommands: true,
    serverSelectionTimeoutMS: 5_000,
  });
  await mongo.connect();
  commands.attach(mongo, 'native');
  const base = mongoose.createConnection(config.mongoUrl, {
    monitorCommands: true,
    serverSelectionTimeoutMS: 5_000,
  });
  await base.asPromise();
  commands.attach(base.getClient(), 'mongoose');

  const databases = new Set<string>();
  const groups = new Set<string>();
  const stoppers = new Set<() => Promise<void>>();
  let topicsCreated = false;

  return {
    runId,
    kafka,
    logger,
    mongo,
    mongoose: base,
    commands,
    async createPrefixedTopics(label, topics) {
      const prefix = `${runId}.${label}.`;
      topicsCreated = true;
      await createTopics(
        kafka,
        topics.map((t) => prefix + t),
        config.partitions,
      );
      return prefix;
    },
    newDatabaseName(label) {
      // FerretDB takes letters, digits and underscores safely.
      const name = `${runId}_${label}`.replace(/[^A-Za-z0-9_]/g, '_');
      databases.add(name);
      return name;
    },
    newGroupId(label) {
      const groupId = `${runId}.${label}`;
      groups.add(groupId);
      return groupId;
    },
    async dropDatabase(name) {
      await mongo.db(name).dropDatabase();
      databases.delete(name);
    },
    stopOnClose(stop) {
      let stopping: Promise<void> | null = null;
      const once = () => {
        stoppers.delete(once);
        stopping ??= stop();
        return stopping;
      };
      stoppers.add(once);
      return once;
    },
    async close() {
      const report: CleanupReport = { topicsDeleted: 0, groupsDeleted: 0, databasesDropped: 0 };
      const problems: unknown[] = [];
      await Promise.all(
        [...stoppers].map((stop) => stop().catch((error: unknown) => problems.push(error))),
      );
      const admin = kafka.admin();
      try {
        await admin.connect();
        if (groups.size > 0) {
          const results = await admin.deleteGroups([...groups]).catch((error: unknown) => {
            problems.push(error);
            return [];
          });
          report.groupsDeleted = results.filter((r) => !r.error).length;
        }
        if (topicsCreated) {
          const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${runId}.`));
          if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 15_000 });
          report.topicsDeleted = topics.length;
        }
      } catch (error) {
        problems.push(error);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      for (const name of [...databases]) {
        try {
          await mongo.db(name).dropDatabase();
          databases.delete(name);
          report.databasesDropped += 1;
        } catch (error) {
          problems.push(error);
        }
      }
      await base.close().catch((error: unknown) => problems.push(error));
      await mongo.close().catch((error: unknown) => problems.push(error));
      if (problems.length > 0) {
        throw new AggregateError(problems, `cleanup of ${runId} was incomplete`);
      }
      return report;
    },
  };
}

/** `count` placement ids: the keys events are spread over. */
export const placementKeys = (count: number): string[] =>
  Array.from({ length: count }, () => randomUUID());

/** A valid placement.recorded v1 event for this placement. */
export const recordedEvent = (placementId: string): Envelope =>
  placementRecordedEvent({ placementId }, 'bench');

/** `count` events, round-robin over `keys`. */
export function recordedEvents(count: number, keys: readonly string[]): Envelope[] {
  return Array.from({ length: count }, (_, i) => recordedEvent(keys[i % keys.length] as string));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A promise with its settle functions outside, for signals from callbacks. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  return { promise, resolve, reject };
}
