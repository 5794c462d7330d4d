/**
 * (1) and (3): schedule the same follow-ups into a fresh queue, one `schedule` call per batch and
 * one call in flight, timing it; then measure what they take in Redis and obliterate the queue.
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Queues } from '@sanad/contracts';
import { createFollowUpQueue } from '@sanad/checkin-service/dist/messaging/jobs/follow-up-due.job';
import {
  bareMinimalScheduler,
  bareScheduler,
  serviceScheduler,
  type Plan,
  type Scheduler,
  type ServiceJobShape,
} from './jobs';
import { deleteUnder, queueFootprint, serverCpuMs, usedMemory, type QueueFootprint } from './redis';

export type ScheduleSide = 'service' | 'bare' | 'bare-minimal';
export type BatchMode = 'plan' | 'large';

export interface ScheduleRound {
  side: ScheduleSide;
  mode: BatchMode;
  round: number;
  jobs: number;
  calls: number;
  elapsedMs: number;
  jobsPerSec: number;
  /** This process's CPU (scheduler code, BullMQ, ioredis) per job. */
  nodeCpuUsPerJob: number;
  /** The Redis server's CPU (the Lua scripts) per job. */
  redisCpuUsPerJob: number;
  /** Growth of the server's `used_memory` over the scheduling, per job. */
  usedMemoryBytesPerJob: number;
  footprint: QueueFootprint | null;
  /** How long obliterating the queue took. */
  obliterateMs: number;
}

export interface ScheduleContext {
  redisUrl: string;
  /** The bench's own client for INFO, SCAN and MEMORY USAGE. */
  admin: Redis;
  shape: ServiceJobShape;
  memorySamples: number;
}

/** The queue each side schedules into: the service's factory for the service, BullMQ's for bare. */
function openQueue(side: ScheduleSide, connection: Redis, prefix: string): Queue {
  return side === 'service'
    ? createFollowUpQueue({ connection, prefix })
    : new Queue(Queues.followUpDue, { connection, prefix });
}

function schedulerFor(side: ScheduleSide, queue: Queue, shape: ServiceJobShape): Scheduler {
  if (side === 'service') return serviceScheduler(queue);
  return side === 'bare' ? bareScheduler(queue, shape) : bareMinimalScheduler(queue, shape);
}

interface Lane {
  side: ScheduleSide;
  prefix: string;
  connection: Redis;
  queue: Queue;
  schedule: Scheduler;
  elapsedMs: number;
  nodeCpuUs: number;
  redisCpuMs: number;
  usedMemoryBytes: number;
}

/**
 * One round of one batch mode: every side schedules all `batches` into a fresh queue of its own,
 * the sides taking turns slice by slice (about `sliceJobs` jobs each; which side goes first
 * alternates, ABBA), so that whatever else the machine does at the time falls on all sides alike.
 * Time, CPU and `used_memory` are counted per side over its own slices only.
 */
export async function scheduleRound(
  ctx: ScheduleContext,
  what: {
    sides: readonly ScheduleSide[];
    mode: BatchMode;
    round: number;
    prefixOf: (side: ScheduleSide) => string;
    measure: boolean;
    sliceJobs: number;
  },
  batches: readonly Plan[],
): Promise<ScheduleRound[]> {
  const lanes: Lane[] = what.sides.map((side) => {
    // As in the service: one ioredis client for the queue, `maxRetriesPerRequest: null`.
    const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
    const prefix = what.prefixOf(side);
    const queue = openQueue(side, connection, prefix);
    return {
      side,
      prefix,
      connection,
      queue,
      schedule: schedulerFor(side, queue, ctx.shape),
      elapsedMs: 0,
      nodeCpuUs: 0,
      redisCpuMs: 0,
      usedMemoryBytes: 0,
    };
  });
  try {
    await Promise.all(lanes.map((l) => l.queue.waitUntilReady()));
    const jobs = batches.reduce((n, b) => n + b.length, 0);
    const slices: Plan[][] = [];
    let count = 0;
    for (const batch of batches) {
      if (count === 0) slices.push([]);
      slices.at(-1)?.push(batch);
      count += batch.length;
      if (count >= what.sliceJobs) count = 0;
    }
    for (const [k, slice] of slices.entries()) {
      const order = k % 2 === (what.round + 1) % 2 ? lanes : [...lanes].reverse();
      for (const lane of order) {
        const memory0 = await usedMemory(ctx.admin);
        const redisCpu0 = await serverCpuMs(ctx.admin);
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        for (const batch of slice) await lane.schedule(batch);
        lane.elapsedMs += performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        lane.nodeCpuUs += cpu.user + cpu.system;
        lane.redisCpuMs += (await serverCpuMs(ctx.admin)) - redisCpu0;
        lane.usedMemoryBytes += (await usedMemory(ctx.admin)) - memory0;
      }
    }

    const results: ScheduleRound[] = [];
    for (const lane of lanes) {
      const delayed = await lane.queue.getDelayedCount();
      if (delayed !== jobs) {
        throw new Error(`${lane.side}/${what.mode}: ${delayed} delayed jobs for ${jobs} scheduled`);
      }
      const footprint = what.measure
        ? await queueFootprint(
            ctx.admin,
            lane.prefix,
            Queues.followUpDue,
            batches.flatMap((b) => b.map((j) => j.jobId)),
            ctx.memorySamples,
          )
        : null;
      const o0 = performance.now();
      await lane.queue.obliterate({ force: true });
      results.push({
        side: lane.side,
        mode: what.mode,
        round: what.round,
        jobs,
        calls: batches.length,
        elapsedMs: lane.elapsedMs,
        jobsPerSec: (jobs / lane.elapsedMs) * 1_000,
        nodeCpuUsPerJob: lane.nodeCpuUs / jobs,
        redisCpuUsPerJob: (lane.redisCpuMs * 1_000) / jobs,
        usedMemoryBytesPerJob: lane.usedMemoryBytes / jobs,
        footprint,
        obliterateMs: performance.now() - o0,
      });
    }
    return results;
  } finally {
    for (const lane of lanes) {
      await lane.queue.close();
      lane.connection.disconnect();
      // Whatever obliterate left (or all of it, after a failure).
      await deleteUnder(ctx.admin, lane.prefix);
    }
  }
}
