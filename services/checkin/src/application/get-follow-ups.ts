import { maySeePlacement, type Caller } from '@sanad/auth';
import { followUpJobId, type ConsentFlags } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { FollowUpPlanRepository, FollowUpScheduler, JobState } from './ports';

export interface FollowUpsView {
  placementId: string;
  startDate: string;
  /** The participant's consents as this service knows them; null when not known. */
  consents: ConsentFlags | null;
  checkins: {
    checkinId: string;
    milestoneDay: number;
    respondent: string;
    dueDate: string;
    status: string;
    skipReason?: string;
    job: { id: string; state: JobState };
  }[];
}

/**
 * A placement's follow-up plan, each check-in with the state of its job, if the caller may see the
 * placement; otherwise (or before its placement.recorded arrived, unless an admin asks) there is
 * none, for them.
 */
export const makeGetFollowUps =
  ({ plans, scheduler }: { plans: FollowUpPlanRepository; scheduler: FollowUpScheduler }) =>
  async ({
    caller,
    placementId,
  }: {
    caller: Caller;
    placementId: string;
  }): Promise<FollowUpsView> => {
    const plan = await plans.find(placementId);
    if (!plan || !maySeePlacement(caller, plan.scope)) throw AppError.notFound('follow-up plan');
    const jobIds = plan.checkins.map((c) =>
      followUpJobId(placementId, c.milestoneDay, c.respondent),
    );
    const states = await scheduler.states(jobIds);
    return {
      placementId,
      startDate: plan.startDate,
      consents: plan.consents,
      checkins: plan.checkins.map((c, i) => {
        const id = jobIds[i] as string;
        return { ...c, job: { id, state: states[id] ?? 'missing' } };
      }),
    };
  };
