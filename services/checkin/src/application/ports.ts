import type { ConsentFlags, Envelope, FollowUpDueJobV1 } from '@sanad/contracts';
import type { SkipReason } from '../domain/consent';
import type { FollowUpPlan } from '../domain/follow-up-plan';

/** What becomes of a scheduled check-in that falls due: asked (with its events) or skipped. */
export type DueSettlement =
  { status: 'due'; events: readonly Envelope[] } | { status: 'skipped'; reason: SkipReason };

export interface FollowUpPlanRepository {
  /**
   * Stores the plan and its events in one write unless a plan exists; returns the stored plan. A
   * known scope is stored either way (a plan first made without it learns it); known consents are
   * stored unless the plan has some already (those of a later change).
   */
  createIfAbsent(plan: FollowUpPlan, events: readonly Envelope[]): Promise<FollowUpPlan>;
  /**
   * Settles one scheduled check-in that fell due: `decide` gets the plan's consents as they are
   * stored now and says due (with events, written in the same write) or skipped. Runs under the
   * plan's write lock, so a consent change cannot slip in between. 'unchanged' if the check-in
   * was not scheduled (already settled) or the plan is not there.
   */
  settleDue(
    placementId: string,
    slot: string,
    decide: (consents: ConsentFlags | null) => DueSettlement,
  ): Promise<'due' | 'skipped' | 'unchanged'>;
  /**
   * Keeps consents that changed at `changedAt`, unless newer ones are stored; a plan not made yet
   * gets them when it is. Resolves true if stored.
   */
  storeConsents(placementId: string, consents: ConsentFlags, changedAt: Date): Promise<boolean>;
  /**
   * Moves the plan to the coach of a coach change decided at `changedAt`, unless a later change is
   * kept already; a plan not made yet gets the coach when it is (over the one placement.recorded
   * carries). Resolves true if stored.
   */
  storeCoach(placementId: string, coachId: string, changedAt: Date): Promise<boolean>;
  find(placementId: string): Promise<FollowUpPlan | null>;
}

export interface ScheduledJob {
  jobId: string;
  payload: FollowUpDueJobV1;
  delayMs: number;
}

export type JobState = 'delayed' | 'waiting' | 'active' | 'completed' | 'failed' | 'missing';

export interface FollowUpScheduler {
  /** Adds delayed jobs; a job id already there is left as it is. */
  schedule(jobs: ScheduledJob[]): Promise<void>;
  states(jobIds: string[]): Promise<Record<string, JobState>>;
}

export interface Clock {
  now(): Date;
}

export interface OutboxNotifier {
  /** Naming the document written lets the relay read just that one (see createOutboxRelay). */
  nudge(written?: { collection: string; id: string }): void;
}
