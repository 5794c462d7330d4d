/**
 * Messaging benchmark: defineConsumer (with its inbox) against a bare kafkajs consumer doing the
 * same dedupe writes, for throughput and for round-trip latency. `npm run bench` from the root.
 */
import { loadConfig, type BenchConfig } from './config';
import { openInfra, placementKeys, recordedEvents, type CleanupReport, type Infra } from './infra';
import { runBareLatency, runOursLatency, type LatencySample } from './latency';
import {
  formatReport,
  summarizeLatency,
  summarizeThroughput,
  writeResult,
  type BenchResult,
} from './report';
import {
  prepareThroughputTopic,
  runBareThroughput,
  runOursThroughput,
  type ThroughputSample,
} from './throughput';
import { hostEnvironment } from '../shared/env';

const CLEANUP_TIMEOUT_MS = 20_000;

const progress = (message: string) => console.error(`· ${message}`);

async function throughputRounds(infra: Infra, config: BenchConfig): Promise<ThroughputSample[]> {
  const keys = placementKeys(config.keys);
  const events = recordedEvents(config.events, keys);
  const topic = await prepareThroughputTopic(infra, config, events);
  progress(`throughput: ${events.length} events on ${topic.topic}`);
  const samples: ThroughputSample[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    // Alternate which side goes first, so neither always runs on a colder or warmer process.
    const order = round % 2 === 1 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    for (const side of order) {
      const sample =
        side === 'bare'
          ? await runBareThroughput(infra, config, topic, round)
          : await runOursThroughput(infra, config, topic, round);
      progress(`throughput ${side} round ${round}: ${Math.round(sample.eventsPerSec)} events/s`);
      samples.push(sample);
    }
  }
  return samples;
}

async function latencyRounds(infra: Infra, config: BenchConfig): Promise<LatencySample[]> {
  const samples: LatencySample[] = [];
  for (let round = 1; round <= config.rttRounds; round++) {
    const order = round % 2 === 1 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    for (const side of order) {
      const events = recordedEvents(config.rttEvents, placementKeys(config.keys));
      const sample =
        side === 'bare'
          ? await runBareLatency(infra, config, events, round)
          : await runOursLatency(infra, config, events, round);
      progress(
        `latency ${side} round ${round}: p50 ${sample.latency.p50.toFixed(1)} ms, ` +
          `p99 ${sample.latency.p99.toFixed(1)} ms`,
      );
      samples.push(sample);
    }
  }
  return samples;
}

async function closeWithin(infra: Infra): Promise<CleanupReport> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cleanup took over ${CLEANUP_TIMEOUT_MS} ms`)),
      CLEANUP_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([infra.close(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const startedAt = new Date().toISOString();
  const infra = await openInfra(config);
  progress(`run ${infra.runId}`);

  // The whole run has a hard limit: past it, clean up what can be cleaned and fail.
  const watchdog = setTimeout(() => {
    console.error(`bench: over ${config.timeoutMs} ms, giving up`);
    void closeWithin(infra)
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(1));
  }, config.timeoutMs);

  let throughput: ThroughputSample[] = [];
  let latency: LatencySample[] = [];
  let failure: unknown = null;
  try {
    throughput = await throughputRounds(infra, config);
    latency = await latencyRounds(infra, config);
  } catch (error) {
    failure = error;
  }
  let cleanup: CleanupReport | null = null;
  try {
    cleanup = await closeWithin(infra);
  } catch (error) {
    failure ??= error;
  }
  clearTimeout(watchdog);
  if (failure !== null) throw failure;

  const result: BenchResult = {
    runId: infra.runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: {
      ...hostEnvironment(),
      kafkaBrokers: config.kafkaBrokers,
      mongoUrl: config.mongoUrl,
    },
    config,
    throughput: summarizeThroughput(throughput),
    latency: summarizeLatency(latency),
    cleanup,
  };
  console.log(formatReport(result));
  const file = await writeResult(result);
  console.log(`\nresults: ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
