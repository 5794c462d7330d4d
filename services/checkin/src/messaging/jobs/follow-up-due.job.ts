import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { FollowUpDueJobV1, Queues } from '@sanad/contracts';
import { withCorrelationId, type Logger } from '@sanad/logger';
import type { FollowUpScheduler, JobKind, JobState } from '../../application/ports';

export const FOLLOW_UP_DUE_JOB = 'follow-up-due';
export const FOLLOW_UP_MISSED_JOB = 'follow-up-missed';

const JOB_NAMES: Record<JobKind, string> = {
  due: FOLLOW_UP_DUE_JOB,
  missed: FOLLOW_UP_MISSED_JOB,
};

export interface QueueSettings {
  connection: ConnectionOptions;
  /** Key prefix in Redis. */
  prefix: string;
}

const KNOWN_STATES: readonly string[] = ['delayed', 'waiting', 'active', 'completed', 'failed'];
/** BullMQ's finer states (prioritized, waiting-children) read as waiting here. */
const toJobState = (state: string): JobState =>
  KNOWN_STATES.includes(state) ? (state as JobState) : 'waiting';

/**
 * The follow-up queue as the application sees it: delayed jobs with deterministic ids. A job that
 * has done its work is removed, so that the same id can be scheduled again when its check-in moves
 * (a re-plan) or Redis is reconciled; a failed one is kept for a person to look at.
 */
export function createFollowUpScheduler(queue: Queue): FollowUpScheduler {
  const client = () => queue.client;
  const jobKey = (jobId: string) => `${queue.opts.prefix ?? 'bull'}:${queue.name}:${jobId}`;
  const scheduler: FollowUpScheduler = {
    async schedule(jobs) {
      if (jobs.length === 0) return;
      await queue.addBulk(
        jobs.map(({ kind, jobId, payload, delayMs }) => ({
          name: JOB_NAMES[kind],
          data: payload,
          opts: {
            jobId,
            delay: delayMs,
            attempts: 8,
            backoff: { type: 'exponential', delay: 1_000 },
            removeOnComplete: true,
            removeOnFail: false,
          },
        })),
      );
    },
    async cancel(jobIds) {
      // A running job cannot be removed; it finishes, finds itself out of date and changes nothing.
      await Promise.all(jobIds.map((id) => queue.remove(id).catch(() => 0)));
    },
    async reschedule(jobs) {
      await scheduler.cancel(jobs.map((j) => j.jobId));
      await scheduler.schedule(jobs);
    },
    async missing(jobIds) {
      if (jobIds.length === 0) return new Set();
      const redis = (await client()) as unknown as Redis;
      const pipeline = redis.pipeline();
      for (const id of jobIds) pipeline.exists(jobKey(id));
      const answers = (await pipeline.exec()) ?? [];
      return new Set(jobIds.filter((_, i) => answers[i]?.[1] === 0));
    },
    async states(jobIds) {
      const states: Record<string, JobState> = {};
      await Promise.all(
        jobIds.map(async (id) => {
          const job = await queue.getJob(id);
          states[id] = job ? toJobState(await job.getState()) : 'missing';
        }),
      );
      return states;
    },
  };
  return scheduler;
}

export function createFollowUpQueue({ connection, prefix }: QueueSettings): Queue {
  return new Queue(Queues.followUpDue, { connection, prefix });
}

export interface FollowUpHandlers {
  due(job: FollowUpDueJobV1): Promise<string>;
  missed(job: FollowUpDueJobV1): Promise<string>;
}

/**
 * The worker that fires when a check-in falls due or its grace period ends. A payload that fails
 * its schema can never succeed, so it fails at once instead of being retried.
 */
export function startFollowUpDueWorker(
  { connection, prefix }: QueueSettings,
  handlers: FollowUpHandlers,
  logger: Logger,
  { concurrency = 8 }: { concurrency?: number } = {},
): Worker {
  const log = logger.child({ module: 'follow-up-due.job' });
  const worker = new Worker(
    Queues.followUpDue,
    async (job) => {
      const parsed = FollowUpDueJobV1.safeParse(job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(
          `bad payload: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
        );
      }
      const handle =
        job.name === FOLLOW_UP_MISSED_JOB
          ? handlers.missed
          : job.name === FOLLOW_UP_DUE_JOB
            ? handlers.due
            : null;
      if (!handle) throw new UnrecoverableError(`unknown job name: ${job.name}`);
      return withCorrelationId(parsed.data.correlationId, async () => {
        const outcome = await handle(parsed.data);
        log.info({ jobId: job.id, name: job.name, outcome }, 'follow-up job done');
        return { outcome };
      });
    },
    { connection, prefix, concurrency },
  );
  worker.on('failed', (job, error) =>
    log.warn({ jobId: job?.id, err: error }, 'follow-up job failed'),
  );
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  return worker;
}
