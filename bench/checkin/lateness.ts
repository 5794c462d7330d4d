/**
 * (2) Lateness of firing: jobs due at known instants, spread evenly over a span, taken by the
 * service's worker (`startFollowUpDueWorker`) or by a bare BullMQ Worker with the same
 * concurrency. Each handler only notes how late it runs: now - the instant the job was due.
 */
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Queues, type FollowUpDueJobV1 } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createFollowUpQueue,
  startFollowUpDueWorker,
} from '@sanad/checkin-service/dist/messaging/jobs/follow-up-due.job';
import { distribution, type Distribution } from '../messaging/stats';
import { bareScheduler, serviceScheduler, type Plan, type ServiceJobShape } from './jobs';
import { deleteUnder } from './redis';

export type LateSide = 'service' | 'bare';

export interface LatenessRound {
  side: LateSide;
  jobs: number;
  concurrency: number;
  /** now - due instant, in ms (fractional), as seen by the handler. */
  latenessMs: Distribution;
  /** Every lateness seen, in the order the handler saw them. */
  raw: number[];
  /** How long before the first due instant the last job was scheduled (must be > 0). */
  scheduledAheadMs: number;
  /** Jobs the handler saw more than once (must be 0). */
  duplicates: number;
}

/** Wall-clock ms with sub-ms resolution (BullMQ's due instants are whole ms of Date.now()). */
const nowMs = () => performance.timeOrigin + performance.now();

export async function latenessRound(
  side: LateSide,
  ctx: {
    redisUrl: string;
    admin: Redis;
    shape: ServiceJobShape;
    prefix: string;
    /** The bare worker's; the service's worker sets its own (see serviceWorkerConcurrency). */
    concurrency: number;
  },
  plans: readonly Plan[],
  timing: { leadMs: number; spreadMs: number },
): Promise<LatenessRound> {
  const jobs = plans.flat();
  const dueAt = new Map<string, number>();
  const lateness: number[] = [];
  let duplicates = 0;
  let resolveAll: () => void = () => undefined;
  const allSeen = new Promise<void>((resolve) => (resolveAll = resolve));
  const record = async (job: FollowUpDueJobV1): Promise<'due'> => {
    const due = dueAt.get(job.checkinId);
    if (due === undefined) throw new Error(`unknown job ${job.checkinId}`);
    if (Number.isNaN(due)) duplicates += 1;
    else {
      lateness.push(nowMs() - due);
      dueAt.set(job.checkinId, Number.NaN);
    }
    if (lateness.length === jobs.length) resolveAll();
    return 'due';
  };

  // As the service: one client for the queue, a duplicate for the worker (it blocks on it).
  const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = connection.duplicate();
  const queue =
    side === 'service'
      ? createFollowUpQueue({ connection, prefix: ctx.prefix })
      : new Queue(Queues.followUpDue, { connection, prefix: ctx.prefix });
  let worker: Worker | null = null;
  try {
    worker =
      side === 'service'
        ? startFollowUpDueWorker(
            { connection: workerConnection, prefix: ctx.prefix },
            { due: record, missed: record },
            createLogger({ service: 'bench-checkin', level: 'silent' }),
          )
        : new Worker(Queues.followUpDue, (job) => record(job.data as FollowUpDueJobV1), {
            connection: workerConnection,
            prefix: ctx.prefix,
            concurrency: ctx.concurrency,
          });
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);

    // Job i is due at first + i × spread / n, whole ms; its delay is counted from just now.
    const schedule = side === 'service' ? serviceScheduler(queue) : bareScheduler(queue, ctx.shape);
    const first = Math.ceil(Date.now() + timing.leadMs);
    jobs.forEach((j, i) =>
      dueAt.set(j.payload.checkinId, first + Math.floor((i * timing.spreadMs) / jobs.length)),
    );
    for (const plan of plans) {
      const now = Date.now();
      await schedule(
        plan.map((j) => ({ ...j, delayMs: (dueAt.get(j.payload.checkinId) ?? 0) - now })),
      );
    }
    const scheduledAheadMs = first - Date.now();
    if (scheduledAheadMs <= 0) {
      throw new Error(
        `${side}: scheduling took longer than the lead (${timing.leadMs} ms): raise BENCH_LATE_LEAD_MS`,
      );
    }
    const limit = timing.leadMs + timing.spreadMs + 30_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allSeen,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${side}: ${lateness.length} of ${jobs.length} jobs fired`)),
          limit,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    // Late duplicates would show up just after the last one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return {
      side,
      jobs: jobs.length,
      concurrency: worker.opts.concurrency ?? 1,
      latenessMs: distribution(lateness),
      raw: lateness,
      scheduledAheadMs,
      duplicates,
    };
  } finally {
    if (worker) await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    workerConnection.disconnect();
    connection.disconnect();
    await deleteUnder(ctx.admin, ctx.prefix);
  }
}

/** The concurrency the service's worker runs with, from one started on an empty queue. */
export async function serviceWorkerConcurrency(
  redisUrl: string,
  admin: Redis,
  prefix: string,
): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = startFollowUpDueWorker(
    { connection, prefix },
    { due: async () => 'unchanged', missed: async () => 'unchanged' },
    createLogger({ service: 'bench-checkin', level: 'silent' }),
  );
  try {
    await worker.waitUntilReady();
    return worker.opts.concurrency ?? 1;
  } finally {
    await worker.close();
    connection.disconnect();
    await deleteUnder(admin, prefix);
  }
}
