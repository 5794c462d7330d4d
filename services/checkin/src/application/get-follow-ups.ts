import { knownScope, maySeePlacement, placementFilterFor, type Caller } from '@sanad/auth';
import { followUpJobId, type ConsentFlags } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { AccessContext, AuditTrail } from '@sanad/service-kit';
import { daysSince, type PlannedCheckin, type PlanStatus } from '../domain/follow-up-plan';
import type { FollowUpPlanRepository, FollowUpScheduler, JobState } from './ports';
import { recordView, type CheckinRecordView } from './record-checkins';
import { pendingJobOf } from './follow-up-jobs';

export interface FollowUpsView {
  placementId: string;
  status: PlanStatus;
  startDate: string | null;
  endDate: string | null;
  policyVersion: number | null;
  /** The participant's consents as this service knows them; null when not known. */
  consents: ConsentFlags | null;
  checkins: (PlannedCheckin & { job: { id: string; state: JobState } | null })[];
  /** Answers recorded, newest first. */
  records: CheckinRecordView[];
}

/**
 * A placement's follow-up plan, each check-in with the job it waits on (none once settled), and the
 * answers recorded, if the caller may see the placement; otherwise (or before its
 * placement.recorded arrived, unless an admin asks) there is none, for them.
 */
export const makeGetFollowUps =
  ({
    plans,
    scheduler,
    audit,
  }: {
    plans: FollowUpPlanRepository;
    scheduler: FollowUpScheduler;
    audit: Pick<AuditTrail, 'record'>;
  }) =>
  async ({
    context,
    placementId,
  }: {
    context: AccessContext;
    placementId: string;
  }): Promise<FollowUpsView> => {
    const { caller } = context;
    const plan = await plans.find(placementId);
    if (!plan || !maySeePlacement(caller, knownScope(plan.scope)))
      throw AppError.notFound('follow-up plan');
    // Consents and answers are shown: recorded before they are.
    await audit.record(context, 'read', { type: 'placement', id: placementId });
    const now = new Date();
    const jobIds = plan.checkins.map((c) =>
      c.status === 'scheduled' || c.status === 'due'
        ? (pendingJobOf(plan, c, now, '-')?.jobId ??
          followUpJobId(placementId, c.milestoneDay, c.respondent))
        : null,
    );
    const states = await scheduler.states(jobIds.filter((id): id is string => id !== null));
    return {
      placementId,
      status: plan.status,
      startDate: plan.startDate,
      endDate: plan.endDate,
      policyVersion: plan.policyVersion,
      consents: plan.consents,
      checkins: plan.checkins.map((c, i) => {
        const id = jobIds[i] ?? null;
        return { ...c, job: id ? { id, state: states[id] ?? 'missing' } : null };
      }),
      // What the participant or their coach said stays with programme staff: an employer user sees
      // the plan and their supervisors' own answers only.
      records: plan.records
        .filter((r) => caller.role !== 'employer-user' || r.respondent === 'supervisor')
        .map((r) => recordView(r, caller))
        .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt)),
    };
  };

export interface DueTask {
  placementId: string;
  checkinId: string;
  milestoneDay: number;
  respondent: string;
  dueDate: string;
  missAfter: string;
  status: 'due' | 'missed';
  daysOverdue: number;
}

/**
 * The check-ins waiting on someone (due, or missed and unanswered) in what the caller may see,
 * oldest first: the coach's task list. An employer user has none.
 */
export const makeListDueTasks =
  ({ plans }: { plans: FollowUpPlanRepository }) =>
  async (
    caller: Caller,
    query: { coachId?: string; programmeId?: string; respondent?: string; limit: number },
    now: Date,
  ): Promise<{ items: DueTask[] }> => {
    if (caller.role === 'employer-user') return { items: [] };
    const found = await plans.listWithOpenTasks({
      scope: placementFilterFor(caller),
      ...(query.coachId ? { coachId: query.coachId } : {}),
      ...(query.programmeId ? { programmeId: query.programmeId } : {}),
      limit: 1000,
    });
    const items = found
      .filter((plan) => plan.status === 'open' && maySeePlacement(caller, knownScope(plan.scope)))
      .flatMap((plan) =>
        plan.checkins
          .filter((c) => c.status === 'due' || c.status === 'missed')
          .filter((c) => !query.respondent || c.respondent === query.respondent)
          .map((c) => ({
            placementId: plan.placementId,
            checkinId: c.checkinId,
            milestoneDay: c.milestoneDay,
            respondent: c.respondent,
            dueDate: c.dueDate,
            missAfter: c.missAfter,
            status: c.status as 'due' | 'missed',
            daysOverdue: Math.max(0, daysSince(c.dueDate, now)),
          })),
      )
      .sort(
        (a, b) => a.dueDate.localeCompare(b.dueDate) || a.placementId.localeCompare(b.placementId),
      )
      .slice(0, query.limit);
    return { items };
  };
