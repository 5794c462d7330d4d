import { needsInvitation } from '../domain/checkin-lifecycle';
import type { FireFollowUps } from './fire-follow-ups';
import { pendingJobOf } from './follow-up-jobs';
import type { Clock, FollowUpPlanRepository, FollowUpScheduler, ScheduledJob } from './ports';

export interface ReconcileReport {
  plans: number;
  /** Jobs the open plans wait on. */
  pending: number;
  /** Of those, the ones Redis had lost and that were made again. */
  recreated: number;
  /** Due check-ins whose invitation had not gone out, sent now. */
  invited: number;
}

const BATCH = 500;

/**
 * Redis may lose jobs (a restart without its append-only file, a failover). The plans in the
 * database say which job each open check-in waits on: its due job while scheduled, its missed job
 * while due. Reconciling makes again every such job Redis does not hold, with the same id, so a
 * job that is there is never doubled, and finishes invitations a lost job left unsent.
 */
export function makeReconcileFollowUps({
  plans,
  scheduler,
  fire,
  clock,
}: {
  plans: FollowUpPlanRepository;
  scheduler: FollowUpScheduler;
  fire: FireFollowUps;
  clock: Clock;
}) {
  return async (correlationId: string): Promise<ReconcileReport> => {
    const report: ReconcileReport = { plans: 0, pending: 0, recreated: 0, invited: 0 };
    let batch: ScheduledJob[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const missing = await scheduler.missing(batch.map((j) => j.jobId));
      const lost = batch.filter((j) => missing.has(j.jobId));
      await scheduler.schedule(lost);
      report.recreated += lost.length;
      batch = [];
    };
    for await (const plan of plans.openPlans()) {
      report.plans += 1;
      const now = clock.now();
      for (const checkin of plan.checkins) {
        const job = pendingJobOf(plan, checkin, now, correlationId);
        if (job) {
          batch.push(job);
          report.pending += 1;
        }
        if (needsInvitation(checkin) && checkin.status === 'due') {
          await fire.due({
            placementId: plan.placementId,
            checkinId: checkin.checkinId,
            milestoneDay: checkin.milestoneDay,
            respondent: checkin.respondent,
            dueDate: checkin.dueDate,
            correlationId,
          });
          report.invited += 1;
        }
      }
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return report;
  };
}

export type ReconcileFollowUps = ReturnType<typeof makeReconcileFollowUps>;
