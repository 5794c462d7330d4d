import type { Producer } from 'kafkajs';
import { eventSchema, PlacementRecordedV1, Topics, type Envelope } from '@sanad/contracts';
import {
  createEventPublisher,
  defineConsumer,
  EventHeaders,
  runConsumer,
  toKafkaMessage,
} from '@sanad/messaging';
import { within } from '@sanad/testing';
import type { BenchConfig } from './config';
import { deferred, sleep, type Deferred, type Infra } from './infra';
import {
  newProbe,
  observe,
  observedKafka,
  summarizeBatches,
  type BatchSummary,
  type CommandStat,
  type ConsumerProbe,
  type LookupScaling,
} from './monitor';
import { distribution, median, type Distribution } from './stats';
import type { Side } from './throughput';

export interface LatencySample {
  side: Side;
  round: number;
  sent: number;
  /** Left out of the statistics: the first sends open connections and fetch metadata. */
  warmup: number;
  /** Produce call start -> the consumer has the message, ms. */
  latency: Distribution;
  /** p50 of the first and of the last tenth of the measured sends: does latency drift as the run goes? */
  p50FirstTenth: number;
  p50LastTenth: number;
  /** Produce call start -> the send/publish promise resolves (acks from all in-sync replicas), ms. */
  send: Distribution;
  batches: BatchSummary;
  db: CommandStat[];
  /** publisher+defineConsumer only: cost of the inbox lookup against the documents already stored. */
  lookupScaling: LookupScaling | null;
  /** Every measured latency in send order (for the JSON file), ms rounded to 0.01. */
  latenciesMs: number[];
}

const SESSION_TIMEOUT_MS = 30_000;
const HEARTBEAT_INTERVAL_MS = 3_000;
const PARTITIONS_CONCURRENTLY = 3;
/** After the last send, how long the consumer may take to deliver the rest. */
const DRAIN_TIMEOUT_MS = 30_000;

/** What the two sides share: when each event was sent and when it arrived. */
class Clock {
  readonly sentAt = new Map<string, number>();
  readonly receivedAt = new Map<string, number>();
  readonly sendMs: number[] = [];
  private readonly all = deferred<void>();

  constructor(private readonly expected: number) {}

  received(eventId: string | undefined): void {
    if (eventId === undefined || this.receivedAt.has(eventId)) return;
    this.receivedAt.set(eventId, performance.now());
    if (this.receivedAt.size >= this.expected) this.all.resolve();
  }

  get allReceived(): Promise<void> {
    return this.all.promise;
  }
}

/**
 * Sends the events one at a time: event i is started at start + i * gap (or right after the
 * previous send resolves, if that took longer than the gap). Never two sends in flight.
 */
async function sendPaced(
  events: readonly Envelope[],
  gapMs: number,
  clock: Clock,
  send: (event: Envelope) => Promise<void>,
): Promise<void> {
  const start = performance.now();
  for (const [i, event] of events.entries()) {
    const wait = start + i * gapMs - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    clock.sentAt.set(event.eventId, t0);
    await send(event);
    clock.sendMs.push(performance.now() - t0);
  }
}

async function measure(
  side: Side,
  round: number,
  config: BenchConfig,
  events: readonly Envelope[],
  clock: Clock,
  probe: ConsumerProbe,
  failure: Deferred<never>,
  send: (event: Envelope) => Promise<void>,
): Promise<Omit<LatencySample, 'db' | 'lookupScaling'>> {
  await Promise.race([sendPaced(events, config.rttGapMs, clock, send), failure.promise]);
  await within(
    Promise.race([clock.allReceived, failure.promise]),
    DRAIN_TIMEOUT_MS,
    `${side} to receive ${events.length} events`,
  );
  const latenciesMs = events.slice(config.rttWarmup).map((e) => {
    const sent = clock.sentAt.get(e.eventId);
    const received = clock.receivedAt.get(e.eventId);
    if (sent === undefined || received === undefined) throw new Error(`${side}: ${e.eventId} lost`);
    return received - sent;
  });
  const tenth = Math.max(1, Math.floor(latenciesMs.length / 10));
  return {
    side,
    round,
    sent: events.length,
    warmup: config.rttWarmup,
    latency: distribution(latenciesMs),
    p50FirstTenth: median(latenciesMs.slice(0, tenth)),
    p50LastTenth: median(latenciesMs.slice(-tenth)),
    send: distribution(clock.sendMs.slice(config.rttWarmup)),
    batches: summarizeBatches(probe),
    latenciesMs: latenciesMs.map((ms) => Math.round(ms * 100) / 100),
  };
}

/** kafkajs `send` with acks -1, and a plain kafkajs consumer with `eachMessage`. */
export async function runBareLatency(
  infra: Infra,
  config: BenchConfig,
  events: readonly Envelope[],
  round: number,
): Promise<LatencySample> {
  const prefix = await infra.createPrefixedTopics(`rtt-bare-r${round}`, [Topics.placement]);
  const topic = prefix + Topics.placement;
  const clock = new Clock(events.length);
  const probe = newProbe();
  const failure = deferred<never>();
  const producer: Producer = infra.kafka.producer({ allowAutoTopicCreation: false });
  const consumer = infra.kafka.consumer({
    groupId: infra.newGroupId(`rtt-bare-r${round}`),
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    allowAutoTopicCreation: false,
  });
  observe(consumer, probe);
  consumer.on(consumer.events.CRASH, ({ payload }) => failure.reject(payload.error));
  const stopConsumer = infra.stopOnClose(() => consumer.disconnect());
  const stopProducer = infra.stopOnClose(() => producer.disconnect());
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachMessage: async ({ message }) => {
        clock.received(message.headers?.[EventHeaders.eventId]?.toString());
      },
    });
    const sample = await measure(
      'bare',
      round,
      config,
      events,
      clock,
      probe,
      failure,
      async (event) => {
        await producer.send({ topic, acks: -1, messages: [toKafkaMessage(event)] });
      },
    );
    return { ...sample, db: [], lookupScaling: null };
  } finally {
    await stopConsumer();
    await stopProducer();
  }
}

/** `createEventPublisher(...).publish([event])` and `runConsumer(defineConsumer(...))` with its inbox. */
export async function runOursLatency(
  infra: Infra,
  config: BenchConfig,
  events: readonly Envelope[],
  round: number,
): Promise<LatencySample> {
  const prefix = await infra.createPrefixedTopics(`rtt-ours-r${round}`, [Topics.placement]);
  const database = infra.newDatabaseName(`rtt_ours_r${round}`);
  const clock = new Clock(events.length);
  const probe = newProbe();
  const failure = deferred<never>();
  const publisher = createEventPublisher(infra.kafka, { topicPrefix: prefix });
  const definition = defineConsumer({
    name: 'bench-latency',
    topic: Topics.placement,
    schema: eventSchema(PlacementRecordedV1),
    handle: async (event) => clock.received(event.eventId),
  });
  const stopPublisher = infra.stopOnClose(() => publisher.disconnect());
  let stopConsumer: () => Promise<void> = async () => undefined;
  let sample: Omit<LatencySample, 'db' | 'lookupScaling'>;
  try {
    await publisher.connect();
    const running = await runConsumer(definition, {
      kafka: observedKafka(infra.kafka, probe),
      db: infra.mongoose.useDb(database, { useCache: false }),
      publisher,
      logger: infra.logger,
      topicPrefix: prefix,
      groupId: infra.newGroupId(`rtt-ours-r${round}`),
      onFatal: (error) => failure.reject(error),
    });
    stopConsumer = infra.stopOnClose(() => running.stop());
    await within(running.joined, 30_000, 'defineConsumer to join its group');
    sample = await measure('ours', round, config, events, clock, probe, failure, (event) =>
      publisher.publish([event]),
    );
  } finally {
    await stopConsumer();
    await stopPublisher();
  }
  const db = infra.commands.statsFor(database);
  const lookupScaling = infra.commands.lookupScalingFor(database);
  await infra.dropDatabase(database);
  return { ...sample, db, lookupScaling };
}
