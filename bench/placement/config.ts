import { servers } from '@sanad/testing';
import { intFromEnv } from '../shared/env';

/** Everything a run depends on; every knob can be set from the environment. */
export interface PlacementBenchConfig {
  /** Seconds each measured step (one side, one concurrency) runs. */
  seconds: number;
  /** Seconds of load each side gets first, at `warmupConnections`, left out of the results. */
  warmupSeconds: number;
  warmupConnections: number;
  /** Concurrency levels tried, in order (autocannon connections, one request in flight each). */
  connections: number[];
  /** A step counts only if its p99 latency is below this. */
  p99LimitMs: number;
  /** Service req/s over bare req/s, at least. */
  goalRatio: number;
  /** Hard limit for the whole run. */
  timeoutMs: number;
  mongoUrl: string;
}

function listFromEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`${name} must be a comma-separated list of integers >= 1, got "${raw}"`);
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

export function loadConfig(): PlacementBenchConfig {
  return {
    // A step reuses one service token, which lives 60 s: a step must end well within that.
    seconds: intFromEnv('BENCH_SECONDS', 8, 1, 45),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 3, 0, 45),
    warmupConnections: intFromEnv('BENCH_WARMUP_CONNECTIONS', 8, 1),
    connections: listFromEnv('BENCH_CONNECTIONS', [1, 2, 4, 8, 16, 32]),
    p99LimitMs: intFromEnv('BENCH_P99_LIMIT_MS', 100, 1),
    goalRatio: 0.85,
    timeoutMs: intFromEnv('BENCH_TIMEOUT_MS', 300_000, 10_000),
    mongoUrl: servers.mongoUrl,
  };
}
