import { servers } from '@sanad/testing';

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

function intFromEnv(name: string, fallback: number, min: number, max = Infinity): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1/true or 0/false, got "${raw}"`);
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
