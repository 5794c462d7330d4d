import type { PlacementFilter } from '@sanad/auth';
import type {
  CheckinInvitationOutcome,
  CheckinInvitationRequest,
  Envelope,
  FollowUpDueJobV1,
} from '@sanad/contracts';
import type { LinkPurpose, LinkRecord } from '@sanad/signed-links';
import type { FollowUpPlan } from '../domain/follow-up-plan';
import type { FollowUpPolicy } from '../domain/follow-up-policy';

/** What a change decides: the plan to store (none: nothing to write), its events, and a result. */
export interface PlanChange<T> {
  next?: FollowUpPlan | null;
  events?: readonly Envelope[];
  result: T;
}

export interface TaskQuery {
  scope: PlacementFilter;
  coachId?: string;
  programmeId?: string;
  limit: number;
}

export interface FollowUpPlanRepository {
  ensureIndexes(): Promise<void>;
  find(placementId: string): Promise<FollowUpPlan | null>;
  /**
   * Reads the plan (null: none yet), lets `change` decide, and stores what it decided with its
   * events in one write, under the plan's write lock and on the revision it read (decided again if
   * another instance wrote meanwhile). Resolves the result and the plan as it now stands.
   */
  mutate<T>(
    placementId: string,
    change: (plan: FollowUpPlan | null) => PlanChange<T>,
  ): Promise<{ result: T; plan: FollowUpPlan | null; written: boolean }>;
  /** Plans with check-ins due or missed, within `scope` (records left out). */
  listWithOpenTasks(query: TaskQuery): Promise<FollowUpPlan[]>;
  /** Every open plan (of a programme), one at a time (records left out). */
  openPlans(programmeId?: string): AsyncIterable<FollowUpPlan>;
}

export type JobKind = 'due' | 'missed';

export interface ScheduledJob {
  kind: JobKind;
  jobId: string;
  payload: FollowUpDueJobV1;
  delayMs: number;
}

export type JobState = 'delayed' | 'waiting' | 'active' | 'completed' | 'failed' | 'missing';

export interface FollowUpScheduler {
  /** Adds delayed jobs; a job id already there is left as it is. */
  schedule(jobs: ScheduledJob[]): Promise<void>;
  /** Removes the jobs (those waiting or delayed; one running finishes and finds itself out of date). */
  cancel(jobIds: string[]): Promise<void>;
  /** Cancels and schedules again: a check-in whose due date moved. */
  reschedule(jobs: ScheduledJob[]): Promise<void>;
  /** The ids, among these, of jobs Redis does not hold. */
  missing(jobIds: string[]): Promise<Set<string>>;
  states(jobIds: string[]): Promise<Record<string, JobState>>;
}

export interface StoredPolicy {
  programmeId: string;
  /** 0: the default policy, never saved for this programme. */
  version: number;
  policy: FollowUpPolicy;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface PolicyRepository {
  /** The programme's policy, or the default one (version 0). */
  get(programmeId: string | undefined): Promise<StoredPolicy>;
  /** Saves over `version`; 'stale' if another save came first. */
  save(
    programmeId: string,
    policy: FollowUpPolicy,
    version: number,
    by: string,
    now: Date,
  ): Promise<StoredPolicy | 'stale'>;
}

export interface CheckinLinkStore {
  save(record: LinkRecord): Promise<void>;
  find(secret: string): Promise<LinkRecord | null>;
  revokeAll(placementId: string, purpose: LinkPurpose, now: Date): Promise<number>;
}

export type InvitationOutcome = CheckinInvitationOutcome;
export type InvitationRequest = CheckinInvitationRequest;

/** Mails a check-in link to its respondent (the placement service holds their address). */
export interface InvitationSender {
  /** Throws when the placement service cannot be reached (the job is tried again). */
  send(request: InvitationRequest): Promise<InvitationOutcome>;
}

export interface Clock {
  now(): Date;
}

export interface OutboxNotifier {
  /** Naming the document written lets the relay read just that one (see createOutboxRelay). */
  nudge(written?: { collection: string; id: string }): void;
}
