import type { Envelope, FollowUpDueJobV1 } from '@sanad/contracts';
import type { FollowUpPlan } from '../domain/follow-up-plan';

export interface FollowUpPlanRepository {
  /**
   * Stores the plan and its events in one write unless a plan exists; returns the stored plan. A
   * known scope is stored either way (a plan first made without it learns it).
   */
  createIfAbsent(plan: FollowUpPlan, events: readonly Envelope[]): Promise<FollowUpPlan>;
  /** Marks one scheduled check-in due, with its event, in one write; false if it was not scheduled. */
  markDue(placementId: string, slot: string, events: readonly Envelope[]): Promise<boolean>;
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
  nudge(): void;
}
