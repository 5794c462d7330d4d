/**
 * The follow-ups both sides schedule, built the way the service builds them (its plan, its job ids,
 * its payload), and the bare side's `addBulk` with the very name and options the service's
 * scheduler gives BullMQ, read from the scheduler itself so that a change there shows up here.
 */
import { randomUUID } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import { dueJobOf } from '@sanad/checkin-service/dist/application/follow-up-jobs';
import type { ScheduledJob } from '@sanad/checkin-service/dist/application/ports';
import { DEFAULT_POLICY, planFollowUps } from '@sanad/checkin-service/dist/domain/follow-up-plan';
import { createFollowUpScheduler } from '@sanad/checkin-service/dist/messaging/jobs/follow-up-due.job';

/** One placement's follow-ups, as the service hands them (on confirmation) to `schedule` in one call. */
export type Plan = ScheduledJob[];

/**
 * Plans for new placements starting today, until `count` follow-ups (the last plan cut short if
 * need be). With the default policy a plan has 16 jobs, due 7 to 365 days from now.
 */
export function buildPlans(count: number, now = new Date()): Plan[] {
  const startDate = now.toISOString().slice(0, 10);
  const plans: Plan[] = [];
  let left = count;
  while (left > 0) {
    const placementId = randomUUID();
    const correlationId = randomUUID();
    const plan = planFollowUps(placementId, startDate, DEFAULT_POLICY);
    const jobs = plan.checkins.slice(0, left).map((c) => dueJobOf(plan, c, now, correlationId));
    plans.push(jobs);
    left -= jobs.length;
  }
  return plans;
}

/** The same jobs cut into batches of `size` (the large-batch mode). */
export function rebatch(plans: readonly Plan[], size: number): Plan[] {
  const all = plans.flat();
  const batches: Plan[] = [];
  for (let i = 0; i < all.length; i += size) batches.push(all.slice(i, i + size));
  return batches;
}

export interface ServiceJobShape {
  name: string;
  /** The options the scheduler gives every job, without its `jobId` and `delay`. */
  opts: Omit<JobsOptions, 'jobId' | 'delay'>;
}

/** What the service's scheduler hands `queue.addBulk` for one job, caught on a stand-in queue. */
export async function serviceJobShape(sample: ScheduledJob): Promise<ServiceJobShape> {
  let caught: { name: string; opts?: JobsOptions }[] = [];
  const standIn = {
    addBulk: async (jobs: { name: string; opts?: JobsOptions }[]) => {
      caught = jobs;
      return [];
    },
  } as unknown as Queue;
  await createFollowUpScheduler(standIn).schedule([sample]);
  const first = caught[0];
  if (!first) throw new Error('the service scheduler added nothing for one job');
  const { jobId: _jobId, delay: _delay, ...opts } = first.opts ?? {};
  return { name: first.name, opts };
}

export type Scheduler = (jobs: Plan) => Promise<void>;

/** The baseline: one `addBulk` per call with the service's job name and options, nothing else. */
export function bareScheduler(queue: Queue, shape: ServiceJobShape): Scheduler {
  return async (jobs) => {
    await queue.addBulk(
      jobs.map(({ jobId, payload, delayMs }) => ({
        name: shape.name,
        data: payload,
        opts: { ...shape.opts, jobId, delay: delayMs },
      })),
    );
  };
}

/** Diagnostic: the same `addBulk` with only `jobId` and `delay` (BullMQ's defaults otherwise). */
export function bareMinimalScheduler(queue: Queue, shape: ServiceJobShape): Scheduler {
  return async (jobs) => {
    await queue.addBulk(
      jobs.map(({ jobId, payload, delayMs }) => ({
        name: shape.name,
        data: payload,
        opts: { jobId, delay: delayMs },
      })),
    );
  };
}

export function serviceScheduler(queue: Queue): Scheduler {
  const scheduler = createFollowUpScheduler(queue);
  return (jobs) => scheduler.schedule(jobs);
}
