import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { eventSchema, PlacementRecordedV1, Topics, type Envelope } from '@sanad/contracts';
import {
  createEventPublisher,
  defineConsumer,
  inboxId,
  runConsumer,
  type InboxClaim,
} from '@sanad/messaging';
import { within } from '@sanad/testing';
import type { BareWrites, BenchConfig } from './config';
import { deferred, type Infra } from './infra';
import {
  newProbe,
  observe,
  observedKafka,
  summarizeBatches,
  type BatchSummary,
  type CommandStat,
  type ConsumerProbe,
  explainInboxLookup,
  type LookupScaling,
} from './monitor';

export type Side = 'bare' | 'ours';

export interface ThroughputSample {
  side: Side;
  round: number;
  events: number;
  /** From the group join to the end of the batch that completed all N events. */
  elapsedMs: number;
  eventsPerSec: number;
  /** CPU time of this whole process (consumer, drivers) over the same span, ms. */
  cpuMs: number;
  batches: BatchSummary;
  /** Inbox documents found afterwards: must equal `events`. */
  inboxDocs: number;
  db: CommandStat[];
  /** defineConsumer only: cost of its per-batch inbox lookup against the documents already stored. */
  lookupScaling: LookupScaling | null;
  /** defineConsumer only: the server's plan for that lookup. */
  lookupPlan: string | null;
}

/** The consumer name both sides put in their inbox ids, so that the documents are the same. */
const CONSUMER_NAME = 'bench-throughput';
/** Settings runConsumer uses, mirrored on the bare side. */
const SESSION_TIMEOUT_MS = 30_000;
const HEARTBEAT_INTERVAL_MS = 3_000;
const PARTITIONS_CONCURRENTLY = 3;
const AUTO_COMMIT_INTERVAL_MS = 1_000;
const PRODUCE_CHUNK = 1_000;
const ROUND_TIMEOUT_MS = 60_000;

export interface ThroughputTopic {
  prefix: string;
  topic: string;
}

/** Creates the topic and writes all N events to it once; every round then reads it with a new group. */
export async function prepareThroughputTopic(
  infra: Infra,
  config: BenchConfig,
  events: readonly Envelope[],
): Promise<ThroughputTopic> {
  const prefix = await infra.createPrefixedTopics('tp', [Topics.placement]);
  const topic = prefix + Topics.placement;
  const publisher = createEventPublisher(infra.kafka, { topicPrefix: prefix });
  const stopPublisher = infra.stopOnClose(() => publisher.disconnect());
  await publisher.connect();
  try {
    for (let i = 0; i < events.length; i += PRODUCE_CHUNK) {
      await publisher.publish(events.slice(i, i + PRODUCE_CHUNK));
    }
  } finally {
    await stopPublisher();
  }
  const admin = infra.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const stored = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    if (stored !== events.length)
      throw new Error(`${topic} holds ${stored} messages, expected ${events.length}`);
    if (offsets.length !== config.partitions)
      throw new Error(`${topic} has ${offsets.length} partitions`);
  } finally {
    await admin.disconnect();
  }
  return { prefix, topic };
}

const DUPLICATE_KEY = 11000;

/**
 * The bare side's dedupe writes: ONE native bulkWrite for the whole batch. `find+insert` first
 * looks the batch up with `_id: {$in}` (a diagnostic: how the inbox first worked, which FerretDB
 * 1.x answers by reading the whole collection).
 */
async function writeInbox(
  inbox: Collection<InboxClaim>,
  batch: InboxClaim[],
  mode: BareWrites,
): Promise<void> {
  let records = batch;
  if (mode === 'find+insert') {
    const ids = batch.map((r) => r._id);
    const found = await inbox.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
    const seen = new Set(found.map((r) => r._id));
    records = batch.filter((r) => !seen.has(r._id));
    if (records.length === 0) return;
  }
  if (mode === 'upsert') {
    const upserts: AnyBulkWriteOperation<InboxClaim>[] = records.map(({ _id, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true },
    }));
    await inbox.bulkWrite(upserts, { ordered: false });
    return;
  }
  const inserts: AnyBulkWriteOperation<InboxClaim>[] = records.map((document) => ({
    insertOne: { document },
  }));
  try {
    await inbox.bulkWrite(inserts, { ordered: false });
  } catch (error) {
    // An id already there was seen before: that is the dedupe, not a failure.
    const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } })
      .writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
  }
}

interface Span {
  elapsedMs: number;
  cpuMs: number;
}

/**
 * Waits until `probe` has seen batches totalling N messages and `handled()` reached N; resolves with
 * the wall and CPU time since the group join.
 */
async function untilAllProcessed(
  probe: ConsumerProbe,
  n: number,
  handled: () => number,
  failure: Promise<never>,
  timeoutMs: number,
  what: string,
): Promise<Span> {
  const done = deferred<Span>();
  probe.onBatch = () => {
    if (probe.processed < n || handled() < n) return;
    if (probe.joinedAt === null || probe.joinedCpu === null) {
      done.reject(new Error(`${what}: no GROUP_JOIN seen`));
      return;
    }
    const cpu = process.cpuUsage(probe.joinedCpu);
    done.resolve({
      elapsedMs: performance.now() - probe.joinedAt,
      cpuMs: (cpu.user + cpu.system) / 1_000,
    });
  };
  return within(Promise.race([done.promise, failure]), timeoutMs, what);
}

async function finishRound(
  infra: Infra,
  side: Side,
  round: number,
  events: number,
  { elapsedMs, cpuMs }: Span,
  probe: ConsumerProbe,
  database: string,
): Promise<ThroughputSample> {
  const db = infra.commands.statsFor(database); // before the commands below add to it
  const lookupScaling = side === 'ours' ? infra.commands.lookupScalingFor(database) : null;
  const lookupPlan = side === 'ours' ? await explainInboxLookup(infra.mongo, database) : null;
  const inboxDocs = await infra.mongo.db(database).collection('inbox').countDocuments();
  await infra.dropDatabase(database);
  if (inboxDocs !== events) {
    throw new Error(`${side} round ${round}: ${inboxDocs} inbox documents for ${events} events`);
  }
  return {
    side,
    round,
    events,
    elapsedMs,
    eventsPerSec: (events / elapsedMs) * 1_000,
    cpuMs,
    batches: summarizeBatches(probe),
    inboxDocs,
    db,
    lookupScaling,
    lookupPlan,
  };
}

/**
 * A plain kafkajs consumer doing the same dedupe writes: JSON.parse of every message and ONE native
 * bulkWrite per batch into an `inbox` collection with the same documents and the same index.
 */
export async function runBareThroughput(
  infra: Infra,
  config: BenchConfig,
  { topic }: ThroughputTopic,
  round: number,
): Promise<ThroughputSample> {
  const database = infra.newDatabaseName(`tp_bare_r${round}`);
  const inbox: Collection<InboxClaim> = infra.mongo.db(database).collection<InboxClaim>('inbox');
  await inbox.createIndex({ consumer: 1, eventId: 1 }, { unique: true, name: 'consumer_event' });

  const probe = newProbe();
  const failure = deferred<never>();
  let handled = 0;
  const consumer = infra.kafka.consumer({
    groupId: infra.newGroupId(`tp-bare-r${round}`),
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    allowAutoTopicCreation: false,
  });
  observe(consumer, probe);
  consumer.on(consumer.events.CRASH, ({ payload }) => failure.reject(payload.error));
  const stopConsumer = infra.stopOnClose(() => consumer.disconnect());
  let span: Span;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: AUTO_COMMIT_INTERVAL_MS,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
        const at = new Date();
        // The same documents the real inbox writes: its claims.
        const records = batch.messages.map((message): InboxClaim => {
          if (!message.value) throw new Error(`empty message at offset ${message.offset}`);
          const { eventId } = JSON.parse(message.value.toString('utf8')) as { eventId: string };
          const _id = inboxId(CONSUMER_NAME, eventId);
          return {
            _id,
            consumer: CONSUMER_NAME,
            eventId,
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            session: 'bare',
            at,
          };
        });
        if (records.length > 0) await writeInbox(inbox, records, config.bareWrites);
        handled += records.length;
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      },
    });
    span = await untilAllProcessed(
      probe,
      config.events,
      () => handled,
      failure.promise,
      ROUND_TIMEOUT_MS,
      `bare round ${round} to process ${config.events} events`,
    );
  } finally {
    await stopConsumer();
  }
  return finishRound(infra, 'bare', round, config.events, span, probe, database);
}

/** `runConsumer(defineConsumer(...))` with its inbox; the handler only counts. */
export async function runOursThroughput(
  infra: Infra,
  config: BenchConfig,
  { prefix }: ThroughputTopic,
  round: number,
): Promise<ThroughputSample> {
  const database = infra.newDatabaseName(`tp_ours_r${round}`);
  const probe = newProbe();
  const failure = deferred<never>();
  let handled = 0;
  const publisher = createEventPublisher(infra.kafka, { topicPrefix: prefix }); // for the DLQ only
  const stopPublisher = infra.stopOnClose(() => publisher.disconnect());
  await publisher.connect();
  const definition = defineConsumer({
    name: CONSUMER_NAME,
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1),
    handle: async () => {
      handled += 1;
    },
  });
  let stopConsumer: () => Promise<void> = async () => undefined;
  let span: Span;
  try {
    const running = await runConsumer(definition, {
      kafka: observedKafka(infra.kafka, probe),
      db: infra.mongoose.useDb(database, { useCache: false }),
      publisher,
      logger: infra.logger,
      topicPrefix: prefix,
      groupId: infra.newGroupId(`tp-ours-r${round}`),
      onFatal: (error) => failure.reject(error),
    });
    stopConsumer = infra.stopOnClose(() => running.stop());
    span = await untilAllProcessed(
      probe,
      config.events,
      () => handled,
      failure.promise,
      ROUND_TIMEOUT_MS,
      `defineConsumer round ${round} to process ${config.events} events`,
    );
  } finally {
    await stopConsumer();
    await stopPublisher();
  }
  return finishRound(infra, 'ours', round, config.events, span, probe, database);
}
