/**
 * Check-in benchmark: the follow-up scheduler and worker of the check-in service against bare
 * BullMQ on the same Redis, in one run: (1) scheduling throughput, (2) lateness of firing, (3)
 * Redis bytes per scheduled follow-up. `npm run bench:checkin`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { FollowUpDueJobV1 } from '@sanad/contracts';
import { uniqueName } from '@sanad/testing';
import { distribution, median, type Distribution } from '../messaging/stats';
import { loadConfig, type CheckinBenchConfig } from './config';
import { buildPlans, rebatch, serviceJobShape, type Plan } from './jobs';
import {
  latenessRound,
  serviceWorkerConcurrency,
  type LatenessRound,
  type LateSide,
} from './lateness';
import { deleteUnder } from './redis';
import { scheduleRound, type BatchMode, type ScheduleRound, type ScheduleSide } from './schedule';
import { hostEnvironment } from '../shared/env';

const progress = (message: string) => console.error(`· ${message}`);
const CLEANUP_TIMEOUT_MS = 60_000;
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < leftColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** What one `FollowUpDueJobV1.parse` costs, the one step the service's scheduler adds. */
function parseCostUs(plans: readonly Plan[]): number {
  const payloads = plans.flat().map((j) => j.payload);
  for (const p of payloads.slice(0, 2_000)) FollowUpDueJobV1.parse(p);
  const t0 = performance.now();
  for (const p of payloads) FollowUpDueJobV1.parse(p);
  return ((performance.now() - t0) * 1_000) / payloads.length;
}

/** A value with the keys of every object sorted, as JSON. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A stored job hash without its creation time, its JSON fields read, in one canonical form. */
function canonicalJob({ timestamp: _timestamp, ...fields }: Record<string, string>): string {
  const json = (raw: string | undefined) => (raw === undefined ? null : JSON.parse(raw));
  return canonical({ ...fields, data: json(fields.data), opts: json(fields.opts) });
}

interface ModeSummary {
  mode: BatchMode;
  batchSize: number;
  jobsPerSec: Partial<Record<ScheduleSide, number>>;
  ratio: number;
  meetsGoal: boolean;
}

interface MemorySummary {
  side: ScheduleSide;
  usedMemoryBytesPerJob: number;
  memoryUsageBytesPerJob: number;
  jobHashBytes: number;
  delayedZsetBytesPerJob: number;
}

async function main(config: CheckinBenchConfig, admin: Redis, runId: string): Promise<void> {
  const startedAt = new Date().toISOString();
  const plans = buildPlans(config.jobs);
  const first = plans[0]?.[0];
  if (!first) throw new Error('no jobs to schedule');
  const ids = new Set(plans.flat().map((j) => j.jobId));
  if (ids.size !== config.jobs) throw new Error(`${ids.size} distinct job ids for ${config.jobs}`);
  const shape = await serviceJobShape(first);
  progress(`service job: name ${shape.name}, opts ${JSON.stringify(shape.opts)}`);
  const batches: Record<BatchMode, Plan[]> = {
    plan: plans,
    large: rebatch(plans, config.largeBatch),
  };
  const batchSize: Record<BatchMode, number> = {
    plan: Math.max(...plans.map((p) => p.length)),
    large: config.largeBatch,
  };
  const parseUsPerJob = parseCostUs(plans);
  progress(`FollowUpDueJobV1.parse: ${fixed(parseUsPerJob, 2)} µs per payload`);

  const ctx = { redisUrl: config.redisUrl, admin, shape, memorySamples: config.memorySamples };
  const bareSides: ScheduleSide[] = config.bareMinimal ? ['bare', 'bare-minimal'] : ['bare'];

  // Warm-up: JIT, BullMQ's script loading, sockets; not reported.
  if (config.warmupJobs > 0) {
    const warm = buildPlans(config.warmupJobs);
    await scheduleRound(
      ctx,
      {
        sides: ['service', ...bareSides],
        mode: 'plan',
        round: 0,
        prefixOf: (side) => `${runId}:warmup-${side}`,
        measure: false,
        sliceJobs: config.sliceJobs,
      },
      warm,
    );
    progress(`warm-up: ${config.warmupJobs} jobs per side`);
  }

  // (1) + (3): the sides take turns slice by slice (see scheduleRound), a fresh queue each.
  const scheduling: ScheduleRound[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    for (const mode of ['plan', 'large'] as const) {
      const sides: ScheduleSide[] =
        mode === 'plan' && config.bareMinimal
          ? ['bare', 'service', 'bare-minimal']
          : ['bare', 'service'];
      const results = await scheduleRound(
        ctx,
        {
          sides,
          mode,
          round,
          prefixOf: (side) => `${runId}:${side}-${mode}-r${round}`,
          measure: mode === 'plan',
          sliceJobs: config.sliceJobs,
        },
        batches[mode],
      );
      for (const result of results) {
        scheduling.push(result);
        progress(
          `${mode.padEnd(5)} r${round} ${result.side.padEnd(12)} ${Math.round(result.jobsPerSec)} jobs/s ` +
            `(${fixed(result.elapsedMs / 1_000, 2)} s), ${fixed(result.usedMemoryBytesPerJob, 0)} B/job ` +
            `used_memory, obliterate ${fixed(result.obliterateMs / 1_000, 1)} s`,
        );
      }
    }
  }

  // (2): one plan per `schedule` call, as the service; sides alternate which goes first.
  const concurrency = await serviceWorkerConcurrency(
    config.redisUrl,
    admin,
    `${runId}:concurrency`,
  );
  const latePlans = buildPlans(config.lateJobs);
  const lateness: (LatenessRound & { round: number })[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    const order: LateSide[] = round % 2 === 1 ? ['bare', 'service'] : ['service', 'bare'];
    for (const side of order) {
      const result = await latenessRound(
        side,
        { ...ctx, prefix: `${runId}:late-${side}-r${round}`, concurrency },
        latePlans,
        { leadMs: config.lateLeadMs, spreadMs: config.lateSpreadMs },
      );
      lateness.push({ ...result, round });
      const d = result.latenessMs;
      progress(
        `late  r${round} ${side.padEnd(7)} p50 ${fixed(d.p50, 2)} ms, p99 ${fixed(d.p99, 2)} ms, ` +
          `max ${fixed(d.max, 2)} ms (concurrency ${result.concurrency})`,
      );
    }
  }

  // Summaries.
  const medianOf = (side: ScheduleSide, mode: BatchMode, pick: (r: ScheduleRound) => number) =>
    median(scheduling.filter((r) => r.side === side && r.mode === mode).map(pick));
  const modes: ModeSummary[] = (['plan', 'large'] as const).map((mode) => {
    const jobsPerSec: ModeSummary['jobsPerSec'] = {};
    for (const side of ['service', ...bareSides] as ScheduleSide[]) {
      const value = medianOf(side, mode, (r) => r.jobsPerSec);
      if (Number.isFinite(value)) jobsPerSec[side] = value;
    }
    const ratio = (jobsPerSec.service ?? Number.NaN) / (jobsPerSec.bare ?? Number.NaN);
    return {
      mode,
      batchSize: batchSize[mode],
      jobsPerSec,
      ratio,
      meetsGoal: ratio >= config.goalThroughputRatio,
    };
  });
  const pooled = (side: LateSide): Distribution =>
    distribution(lateness.filter((r) => r.side === side).flatMap((r) => r.raw));
  const lateBySide = { bare: pooled('bare'), service: pooled('service') };
  const latenessRatio = lateBySide.service.p99 / lateBySide.bare.p99;
  const memory: MemorySummary[] = (['service', ...bareSides] as ScheduleSide[]).map((side) => {
    const rounds = scheduling.filter((r) => r.side === side && r.mode === 'plan' && r.footprint);
    const fp = (pick: (r: ScheduleRound) => number) => median(rounds.map(pick));
    return {
      side,
      usedMemoryBytesPerJob: fp((r) => r.usedMemoryBytesPerJob),
      memoryUsageBytesPerJob: fp((r) => r.footprint?.bytesPerJob ?? Number.NaN),
      jobHashBytes: fp((r) => r.footprint?.jobHashMeanBytes ?? Number.NaN),
      delayedZsetBytesPerJob: fp(
        (r) => (r.footprint?.queueKeys.delayed?.bytes ?? Number.NaN) / r.jobs,
      ),
    };
  });
  const memoryOf = (side: ScheduleSide) => memory.find((m) => m.side === side);
  const memoryRatio =
    (memoryOf('service')?.memoryUsageBytesPerJob ?? Number.NaN) /
    (memoryOf('bare')?.memoryUsageBytesPerJob ?? Number.NaN);

  // The two sides stored the same job: same fields, same data, same options (in any key order).
  const sampleOf = (side: ScheduleSide) =>
    scheduling.find((r) => r.side === side && r.footprint)?.footprint?.sampleJob ?? {};
  const sameJobStored =
    canonicalJob(sampleOf('service')) === canonicalJob(sampleOf('bare')) &&
    Object.keys(sampleOf('service')).length > 0;
  if (!sameJobStored) {
    throw new Error(
      `the sides stored different jobs: ${JSON.stringify({ service: sampleOf('service'), bare: sampleOf('bare') })}`,
    );
  }

  const result = {
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: {
      ...hostEnvironment(),
      redisUrl: config.redisUrl,
      redisVersion: /^redis_version:(\S+)/m.exec(await admin.info('server'))?.[1] ?? null,
    },
    config,
    serviceJob: shape,
    parseUsPerJob,
    scheduling: { rounds: scheduling, modes, goal: config.goalThroughputRatio },
    lateness: {
      rounds: lateness.map(({ raw: _raw, ...rest }) => rest),
      bySide: lateBySide,
      p99Ratio: latenessRatio,
      goal: config.goalLatenessRatio,
      meetsGoal: latenessRatio <= config.goalLatenessRatio,
      raw: Object.fromEntries(
        lateness.map((r) => [`${r.side}-r${r.round}`, r.raw.map((v) => Math.round(v * 100) / 100)]),
      ),
    },
    memory: { bySide: memory, ratio: memoryRatio },
  };

  console.log(
    `(1) scheduling ${config.jobs} follow-ups, one schedule call in flight, ` +
      `median of ${config.rounds} round(s)\n`,
  );
  const schedRows = modes.flatMap((m) =>
    (['bare', 'service', 'bare-minimal'] as ScheduleSide[])
      .filter((side) => m.jobsPerSec[side] !== undefined)
      .map((side) => [
        m.mode,
        String(m.batchSize),
        side,
        fixed(m.jobsPerSec[side] ?? Number.NaN, 0),
        fixed(
          medianOf(side, m.mode, (r) => r.nodeCpuUsPerJob),
          1,
        ),
        fixed(
          medianOf(side, m.mode, (r) => r.redisCpuUsPerJob),
          1,
        ),
        side === 'service' ? fixed(m.ratio, 2) : '',
      ]),
  );
  console.log(
    table(
      ['mode', 'jobs/call', 'side', 'jobs/s', 'node µs/job', 'redis µs/job', 'service/bare'],
      schedRows,
      3,
    ),
  );
  for (const m of modes) {
    console.log(
      `ratio service / bare, ${m.mode} batches: ${fixed(m.ratio, 2)}  ` +
        `(goal >= ${config.goalThroughputRatio}: ${m.meetsGoal ? 'met' : 'NOT met'})`,
    );
  }
  console.log(`FollowUpDueJobV1.parse: ${fixed(parseUsPerJob, 2)} µs per payload`);

  console.log(
    `\n(2) lateness of firing: ${config.lateJobs} jobs per side and round, due over ` +
      `${config.lateSpreadMs} ms, worker concurrency ${concurrency}, ms\n`,
  );
  const lateRows = (['bare', 'service'] as const).map((side) => {
    const d = lateBySide[side];
    return [side, String(d.count), ...[d.p50, d.p90, d.p99, d.max, d.mean].map((v) => fixed(v, 2))];
  });
  console.log(table(['side', 'jobs', 'p50', 'p90', 'p99', 'max', 'mean'], lateRows));
  console.log(
    `ratio p99 service / bare: ${fixed(latenessRatio, 2)}  (goal <= ${config.goalLatenessRatio}: ` +
      `${result.lateness.meetsGoal ? 'met' : 'NOT met'}); p50 ratio ` +
      `${fixed(lateBySide.service.p50 / lateBySide.bare.p50, 2)}`,
  );

  console.log(
    `\n(3) Redis bytes per scheduled follow-up (${config.jobs} scheduled, plan batches)\n`,
  );
  console.log(
    table(
      ['side', 'used_memory Δ/job', 'MEMORY USAGE/job', 'job hash', 'delayed zset/job'],
      memory.map((m) => [
        m.side,
        fixed(m.usedMemoryBytesPerJob, 0),
        fixed(m.memoryUsageBytesPerJob, 0),
        fixed(m.jobHashBytes, 0),
        fixed(m.delayedZsetBytesPerJob, 1),
      ]),
    ),
  );
  console.log(`ratio service / bare (MEMORY USAGE): ${fixed(memoryRatio, 2)}`);
  const fields = scheduling.find((r) => r.side === 'service' && r.footprint)?.footprint;
  if (fields) {
    console.log(`service job hash fields (bytes): ${JSON.stringify(fields.sampleJobFieldLengths)}`);
  }

  const dir = path.resolve(__dirname, '..', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `checkin-${startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
}

async function run(): Promise<void> {
  const config = loadConfig();
  const runId = uniqueName('bench-checkin');
  progress(`run ${runId} on ${config.redisUrl}`);
  const admin = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const cleanup = async () => {
    const left = await Promise.race([
      deleteUnder(admin, runId),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('cleanup timed out')), CLEANUP_TIMEOUT_MS).unref(),
      ),
    ]);
    if (left > 0) progress(`removed ${left} keys left under ${runId}`);
    admin.disconnect();
  };
  const watchdog = setTimeout(() => {
    console.error(`bench: over ${config.timeoutMs} ms, giving up`);
    void cleanup()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(1));
  }, config.timeoutMs);
  let failure: unknown = null;
  try {
    await main(config, admin, runId);
  } catch (error) {
    failure = error;
  }
  try {
    await cleanup();
  } catch (error) {
    failure ??= error;
  }
  clearTimeout(watchdog);
  if (failure !== null) throw failure;
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
