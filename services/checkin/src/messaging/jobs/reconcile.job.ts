import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Queues } from '@sanad/contracts';
import { withCorrelationId, type Logger } from '@sanad/logger';
import type { ReconcileFollowUps } from '../../application/reconcile-follow-ups';
import type { QueueSettings } from './follow-up-due.job';

const RECONCILE_SCHEDULER = 'reconcile-follow-ups';

/**
 * Reconciling runs as a BullMQ job scheduler: one run at a time across all instances, every
 * `everyMs`, and once at start. Redis losing this job too is repaired at the next start.
 */
export async function startReconcileJob(
  settings: QueueSettings,
  reconcile: ReconcileFollowUps,
  everyMs: number,
  logger: Logger,
): Promise<{ queue: Queue; worker: Worker }> {
  const log = logger.child({ module: 'reconcile.job' });
  const queue = new Queue(Queues.followUpReconcile, settings);
  await queue.upsertJobScheduler(RECONCILE_SCHEDULER, { every: everyMs });
  const worker = new Worker(
    Queues.followUpReconcile,
    async () => {
      const correlationId = randomUUID();
      return withCorrelationId(correlationId, async () => {
        const report = await reconcile(correlationId);
        log.info(report, 'follow-ups reconciled');
        return report;
      });
    },
    { ...settings, concurrency: 1 },
  );
  worker.on('error', (error) => log.error({ err: error }, 'reconcile worker error'));
  worker.on('failed', (_job, error) => log.warn({ err: error }, 'reconcile failed'));
  return { queue, worker };
}
