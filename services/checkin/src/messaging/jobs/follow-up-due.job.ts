import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { FollowUpDueJobV1, Queues } from '@sanad/contracts';
import { withCorrelationId, type Logger } from '@sanad/logger';
import type { FollowUpScheduler, JobState } from '../../application/ports';

export const FOLLOW_UP_DUE_JOB = 'follow-up-due';

export interface QueueSettings {
  connection: ConnectionOptions;
  /** Key prefix in Redis. */
  prefix: string;
}

const NINETY_DAYS_S = 90 * 24 * 3600;

const KNOWN_STATES: readonly string[] = ['delayed', 'waiting', 'active', 'completed', 'failed'];
/** BullMQ's finer states (prioritized, waiting-children) read as waiting here. */
const toJobState = (state: string): JobState =>
  KNOWN_STATES.includes(state) ? (state as JobState) : 'waiting';

/** The follow-up queue as the application sees it: delayed jobs with deterministic ids. */
export function createFollowUpScheduler(queue: Queue): FollowUpScheduler {
  return {
    async schedule(jobs) {
      if (jobs.length === 0) return;
      await queue.addBulk(
        jobs.map(({ jobId, payload, delayMs }) => ({
          name: FOLLOW_UP_DUE_JOB,
          data: FollowUpDueJobV1.parse(payload),
          opts: {
            jobId,
            delay: delayMs,
            attempts: 8,
            backoff: { type: 'exponential', delay: 1_000 },
            removeOnComplete: { age: NINETY_DAYS_S },
            removeOnFail: false,
          },
        })),
      );
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
}

export function createFollowUpQueue({ connection, prefix }: QueueSettings): Queue {
  return new Queue(Queues.followUpDue, { connection, prefix });
}

/**
 * The worker that fires when a check-in falls due. A payload that fails its schema can never
 * succeed, so it fails at once instead of being retried.
 */
export function startFollowUpDueWorker(
  { connection, prefix }: QueueSettings,
  markDue: (job: FollowUpDueJobV1) => Promise<'due' | 'skipped' | 'unchanged'>,
  logger: Logger,
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
      return withCorrelationId(parsed.data.correlationId, async () => {
        const outcome = await markDue(parsed.data);
        log.info({ jobId: job.id, outcome }, 'follow-up due');
        return { outcome };
      });
    },
    { connection, prefix, concurrency: 8 },
  );
  worker.on('failed', (job, error) =>
    log.warn({ jobId: job?.id, err: error }, 'follow-up job failed'),
  );
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  return worker;
}
