import { servers } from '@sanad/testing';
import { intFromEnv } from '../shared/env';

/** Everything a run depends on; every knob can be set from the environment. */
export const BARE_WRITES = ['insert', 'upsert', 'find+insert'] as const;
export type BareWrites = (typeof BARE_WRITES)[number];

export interface BenchConfig {
  /** (a) events pre-produced and consumed per round. */
  events: number;
  /** (a) distinct placement keys the events are spread over. */
  keys: number;
  /** (a) rounds per side, alternating bare / defineConsumer; the median is reported. */
  rounds: number;
  /**
   * (a) the bare side's inbox writes, one native bulkWrite per batch of either `insertOne`
   * (duplicate-key errors = already seen; default) or `updateOne` upserts with `$setOnInsert`.
   */
  bareWrites: BareWrites;
  /** (b) events sent one at a time, per side. */
  rttEvents: number;
  /** (b) rounds per side, alternating; the latencies of a side's rounds are pooled. */
  rttRounds: number;
  /** (b) gap between the starts of two sends. */
  rttGapMs: number;
  /** (b) first events of each side left out of the statistics (connections, metadata). */
  rttWarmup: number;
  partitions: number;
  /** Hard limit for the whole run. */
  timeoutMs: number;
  kafkaBrokers: string[];
  mongoUrl: string;
}

function bareWritesFromEnv(): BareWrites {
  const raw = process.env.BENCH_BARE_WRITES?.trim() || 'insert';
  const mode = BARE_WRITES.find((m) => m === raw);
  if (!mode)
    throw new Error(`BENCH_BARE_WRITES must be one of ${BARE_WRITES.join(', ')}, got "${raw}"`);
  return mode;
}

export function loadConfig(): BenchConfig {
  const rttEvents = intFromEnv('BENCH_RTT_EVENTS', 2_000, 1);
  return {
    events: intFromEnv('BENCH_EVENTS', 20_000, 1),
    keys: intFromEnv('BENCH_KEYS', 2_000, 1),
    rounds: intFromEnv('BENCH_ROUNDS', 2, 1),
    bareWrites: bareWritesFromEnv(),
    rttEvents,
    rttRounds: intFromEnv('BENCH_RTT_ROUNDS', 1, 1),
    rttGapMs: intFromEnv('BENCH_RTT_GAP_MS', 5, 0),
    rttWarmup: Math.min(intFromEnv('BENCH_RTT_WARMUP', 20, 0), rttEvents - 1),
    partitions: 6,
    timeoutMs: intFromEnv('BENCH_TIMEOUT_MS', 180_000, 10_000),
    kafkaBrokers: servers.kafkaBrokers,
    mongoUrl: servers.mongoUrl,
  };
}
