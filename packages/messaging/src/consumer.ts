import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Envelope, EventSchema, Topic } from '@sanad/contracts';
import { withCorrelationId, type Logger } from '@sanad/logger';
import { deadLetter } from './dead-letter';
import { describeError, isTransient, PermanentError } from './errors';
import { createInbox, decideDuplicate, inboxId, type Inbox, type InboxClaim } from './inbox';
import type { EventPublisher } from './producer';

export interface HandlerContext {
  log: Logger;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  partition: number;
  offset: string;
}

export interface ConsumerDefinition<E> {
  /** Unique per consuming purpose; the inbox and the consumer group are named after it. */
  name: string;
  topic: Topic;
  schema: EventSchema<E>;
  /**
   * The effect. It must be idempotent on its own (deterministic ids, upserts): the inbox makes a
   * repeat rare, but a crash between the effect and the inbox write repeats it once.
   */
  handle(event: E, context: HandlerContext): Promise<void>;
  /** In-process attempts before a failing message is dead-lettered (default 5). */
  maxAttempts?: number;
}

export function defineConsumer<E>(definition: ConsumerDefinition<E>): ConsumerDefinition<E> {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(definition.name)) {
    throw new Error(
      `consumer name "${definition.name}": lower-case letters, digits, dots and dashes`,
    );
  }
  return definition;
}

export interface ConsumerRuntime {
  kafka: Kafka;
  db: Connection;
  publisher: EventPublisher;
  logger: Logger;
  topicPrefix?: string;
  /** Consumer group id; defaults to the prefix plus the consumer name. */
  groupId?: string;
  /** Restarts after a crash allowed in a row before the consumer gives up (default 5). */
  maxCrashRestarts?: number;
  /** Called once when the consumer gives up; the process should exit non-zero. */
  onFatal(error: unknown): void;
  /** Keys handled at the same time within one partition's batch (default 16). */
  keyConcurrency?: number;
  partitionsConsumedConcurrently?: number;
  /** Base delay between in-process attempts (default 200 ms, doubled each time). */
  retryDelayMs?: number;
  /** How long the broker waits for a silent member before handing its partitions on (default 30 s). */
  sessionTimeoutMs?: number;
  /** Fault injection: runs after a batch's effects are stored, before its offsets are committed. */
  beforeCommit?: () => Promise<void>;
}

export interface RunningConsumer {
  /** Resolves when the consumer has joined its group and been given partitions. */
  joined: Promise<void>;
  stop(): Promise<void>;
}

type Decoded<E> =
  | { kind: 'event'; message: KafkaMessage; event: E & Envelope; inboxId: string }
  | { kind: 'skip'; message: KafkaMessage }
  | { kind: 'bad'; message: KafkaMessage; reason: string; inboxId: string };

function decode<E>(
  def: ConsumerDefinition<E>,
  topic: string,
  partition: number,
  message: KafkaMessage,
): Decoded<E> {
  const badId = inboxId(def.name, `dlq:${topic}:${partition}:${message.offset}`);
  if (!message.value) return { kind: 'bad', message, reason: 'empty message', inboxId: badId };
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch {
    return { kind: 'bad', message, reason: 'invalid JSON', inboxId: badId };
  }
  // Another type on the same topic is not this consumer's business: passed over unparsed.
  const head = (json ?? {}) as { type?: unknown; version?: unknown };
  if (
    typeof head.type === 'string' &&
    typeof head.version === 'number' &&
    !def.schema.handles(head.type, head.version)
  ) {
    return { kind: 'skip', message };
  }
  const parsed = def.schema.safeParse(json);
  if (!parsed.success) {
    return { kind: 'bad', message, reason: `schema: ${issuesText(parsed.error)}`, inboxId: badId };
  }
  const eventId = (parsed.data as Envelope).eventId;
  return {
    kind: 'event',
    message,
    event: parsed.data as E & Envelope,
    inboxId: inboxId(def.name, eventId),
  };
}

function issuesText(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items` with at most `limit` at once. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Starts a consumer: batches from Kafka, each message validated, deduplicated against the inbox,
 * handled in key order, dead-lettered when bad, and its offset committed only once its effect and
 * its inbox record are stored.
 */
export async function runConsumer<E>(
  def: ConsumerDefinition<E>,
  runtime: ConsumerRuntime,
): Promise<RunningConsumer> {
  const prefix = runtime.topicPrefix ?? '';
  const topic = prefix + def.topic;
  const groupId = runtime.groupId ?? prefix + def.name;
  const log = runtime.logger.child({ module: 'consumer', consumer: def.name, topic });
  const inbox: Inbox = createInbox(runtime.db);
  await inbox.ensureIndexes();
  const maxAttempts = def.maxAttempts ?? 5;
  const retryDelayMs = runtime.retryDelayMs ?? 200;
  const maxCrashRestarts = runtime.maxCrashRestarts ?? 5;
  let crashesInARow = 0;
  let fatal = false;

  const consumer: Consumer = runtime.kafka.consumer({
    groupId,
    sessionTimeout: runtime.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: Math.min(3_000, Math.floor((runtime.sessionTimeoutMs ?? 30_000) / 5)),
    allowAutoTopicCreation: false,
    retry: {
      retries: 3,
      initialRetryTime: 300,
      restartOnFailure: async (error) => {
        crashesInARow += 1;
        const restart = crashesInARow <= maxCrashRestarts;
        log.error({ err: error, crashesInARow, restart }, 'consumer crashed');
        return restart;
      },
    },
  });

  let markJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (markJoined = resolve));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || fatal) return;
    fatal = true;
    log.fatal({ err: payload.error }, 'consumer gave up after repeated crashes');
    runtime.onFatal(payload.error);
  });

  const handleWithRetries = async (
    item: Extract<Decoded<E>, { kind: 'event' }>,
    partition: number,
    heartbeat: () => Promise<void>,
  ): Promise<'handled' | { deadLetter: string }> => {
    let eventLog: Logger | undefined; // made on first use: most handlers never log
    const context: HandlerContext = {
      get log() {
        return (eventLog ??= log.child({ eventId: item.event.eventId, type: item.event.type }));
      },
      heartbeat,
      partition,
      offset: item.message.offset,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await withCorrelationId(item.event.correlationId, () => def.handle(item.event, context));
        return 'handled';
      } catch (error) {
        if (error instanceof PermanentError)
          return { deadLetter: `rejected: ${describeError(error)}` };
        if (isTransient(error)) throw error; // a dependency is away: crash, restart, redeliver
        if (attempt >= maxAttempts) {
          return { deadLetter: `failed ${attempt} times: ${describeError(error)}` };
        }
        context.log.warn({ err: error, attempt }, 'handler failed, retrying');
        await heartbeat();
        await pause(retryDelayMs * 2 ** (attempt - 1));
      }
    }
  };

  /**
   * A consumer run. A new one begins at every join of the group and after every failed batch, so
   * that claims made by a run that did not finish are told apart from this run's own.
   */
  let session = randomUUID();
  let startOffsets = new Map<string, string>();
  const beginSession = () => {
    session = randomUUID();
    startOffsets = new Map();
  };
  consumer.on(consumer.events.GROUP_JOIN, () => {
    beginSession();
    markJoined();
  });

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } =
      payload;
    const first = batch.messages[0];
    if (!first) return;
    const runSession = session;
    const partitionKey = `${batch.topic}:${batch.partition}`;
    if (!startOffsets.has(partitionKey)) startOffsets.set(partitionKey, first.offset);
    const where = {
      session: runSession,
      topic: batch.topic,
      partition: batch.partition,
      startOffset: startOffsets.get(partitionKey) ?? first.offset,
    };
    const decoded = batch.messages.map((m) => decode(def, batch.topic, batch.partition, m));

    // Claim every event of the batch with one insert; the first occurrence in the batch claims.
    const firstIndexOf = new Map<string, number>();
    const claims: InboxClaim[] = [];
    decoded.forEach((d, index) => {
      if (d.kind === 'skip' || firstIndexOf.has(d.inboxId)) return;
      firstIndexOf.set(d.inboxId, index);
      claims.push({
        _id: d.inboxId,
        consumer: def.name,
        eventId: d.kind === 'event' ? d.event.eventId : d.inboxId,
        topic: batch.topic,
        partition: batch.partition,
        offset: d.message.offset,
        session: runSession,
        at: new Date(),
      });
    });
    const claimedBefore = await inbox.claim(claims);
    const earlier = claimedBefore.size > 0 ? await inbox.find(claimedBefore) : new Map();
    const passOver = (d: Decoded<E>, index: number): boolean =>
      d.kind === 'skip' ||
      firstIndexOf.get(d.inboxId) !== index ||
      (claimedBefore.has(d.inboxId) &&
        decideDuplicate(earlier.get(d.inboxId), where) === 'pass-over');

    // One lane per key: a key's messages run in order, different keys run side by side.
    const lanes = new Map<string, number[]>();
    decoded.forEach((d, index) => {
      const key = d.message.key?.toString('utf8') ?? '';
      const lane = lanes.get(key) ?? [];
      lane.push(index);
      lanes.set(key, lane);
    });

    const done: boolean[] = decoded.map(() => false);
    let handled = 0;
    // kafkajs sends a heartbeat only when one is due; calling it once a second is enough and
    // keeps long batches alive without an await per message.
    let lastBeat = Date.now();
    const beatIfDue = async () => {
      if (Date.now() - lastBeat < 1_000) return;
      lastBeat = Date.now();
      await heartbeat();
    };
    let failure: unknown = null;

    await forEachLimited([...lanes.values()], runtime.keyConcurrency ?? 16, async (lane) => {
      for (const index of lane) {
        if (failure !== null || !isRunning() || isStale()) return;
        const item = decoded[index] as Decoded<E>;
        try {
          if (passOver(item, index)) {
            if (item.kind !== 'skip')
              log.debug({ offset: item.message.offset }, 'duplicate passed over');
            done[index] = true;
            continue;
          }
          let deadLetterReason: string | null = item.kind === 'bad' ? item.reason : null;
          if (item.kind === 'event') {
            const outcome = await handleWithRetries(item, batch.partition, heartbeat);
            if (outcome !== 'handled') deadLetterReason = outcome.deadLetter;
          }
          if (deadLetterReason !== null) {
            await deadLetter(runtime.publisher, {
              consumer: def.name,
              topic: batch.topic,
              partition: batch.partition,
              message: item.message,
              reason: deadLetterReason,
            });
            log.warn(
              { offset: item.message.offset, reason: deadLetterReason },
              'message dead-lettered',
            );
          }
          handled += 1;
          done[index] = true;
          await beatIfDue();
        } catch (error) {
          failure = error;
        }
      }
    });

    // Resolve and commit only the unbroken run of finished messages.
    if (runtime.beforeCommit && handled > 0) await runtime.beforeCommit();
    let lastDone = -1;
    while (lastDone + 1 < done.length && done[lastDone + 1]) lastDone++;
    const last = decoded[lastDone];
    if (last) {
      resolveOffset(last.message.offset);
      await commitOffsetsIfNecessary();
    }
    if (failure !== null) {
      beginSession();
      throw failure;
    }
    crashesInARow = 0;
    await heartbeat();
  };

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: 1_000,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: runtime.partitionsConsumedConcurrently ?? 3,
    eachBatch,
  });
  log.info({ groupId }, 'consumer started');

  let stopping: Promise<void> | undefined;
  return {
    joined,
    stop: () => (stopping ??= consumer.disconnect().then(() => log.info('consumer stopped'))),
  };
}
