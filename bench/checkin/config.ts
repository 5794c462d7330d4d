import { servers } from '@sanad/testing';
import { boolFromEnv, intFromEnv } from '../shared/env';

/** Everything a run depends on; every knob can be set from the environment. */
export interface CheckinBenchConfig {
  /** (1, 3) follow-ups scheduled per side, mode and round. */
  jobs: number;
  /** (1) jobs per `schedule` call in the large-batch mode (the plan mode uses one plan). */
  largeBatch: number;
  /** (1, 3) the sides take turns every this many jobs (whole batches). */
  sliceJobs: number;
  /** (1, 3) rounds per side and mode, alternating which side goes first; medians reported. */
  rounds: number;
  /** (1) follow-ups per side scheduled (and thrown away) first, to warm JIT, scripts, sockets. */
  warmupJobs: number;
  /** (1, 3) also run the bare side without the service's retry/retention options (diagnostic). */
  bareMinimal: boolean;
  /** (2) jobs per side that fire while measured. */
  lateJobs: number;
  /** (2) the due instants are spread evenly over this span... */
  lateSpreadMs: number;
  /** (2) ...which starts this long after the jobs begin to be scheduled. */
  lateLeadMs: number;
  /** (3) job hashes whose MEMORY USAGE is read, evenly spread over the scheduled ones. */
  memorySamples: number;
  /** Service / bare jobs per second, at least. */
  goalThroughputRatio: number;
  /** Service / bare p99 lateness, at most. */
  goalLatenessRatio: number;
  /** Hard limit for the whole run. */
  timeoutMs: number;
  redisUrl: string;
}

export function loadConfig(): CheckinBenchConfig {
  return {
    jobs: intFromEnv('BENCH_JOBS', 100_000, 100),
    largeBatch: intFromEnv('BENCH_LARGE_BATCH', 1_000, 1, 10_000),
    sliceJobs: intFromEnv('BENCH_SLICE_JOBS', 5_000, 1),
    rounds: intFromEnv('BENCH_ROUNDS', 2, 1),
    warmupJobs: intFromEnv('BENCH_WARMUP_JOBS', 5_000, 0),
    bareMinimal: boolFromEnv('BENCH_BARE_MINIMAL', true),
    lateJobs: intFromEnv('BENCH_LATE_JOBS', 3_000, 10),
    lateSpreadMs: intFromEnv('BENCH_LATE_SPREAD_MS', 15_000, 1_000, 120_000),
    lateLeadMs: intFromEnv('BENCH_LATE_LEAD_MS', 3_000, 500, 60_000),
    memorySamples: intFromEnv('BENCH_MEMORY_SAMPLES', 500, 1),
    goalThroughputRatio: 0.8,
    goalLatenessRatio: 1.5,
    timeoutMs: intFromEnv('BENCH_TIMEOUT_MS', 600_000, 30_000),
    redisUrl: servers.redisUrl,
  };
}
