import type { PlacementScope } from '@sanad/auth';
import {
  deterministicUuid,
  type AccommodationCode,
  type CheckinFlags,
  type ConsentFlags,
  type Respondent,
} from '@sanad/contracts';
import type { SkipReason } from './consent';
import { DEFAULT_POLICY, dueChannelOf, type FollowUpPolicy } from './follow-up-policy';

export { DEFAULT_POLICY, type FollowUpPolicy } from './follow-up-policy';

/**
 * A placement's follow-up plan, as one aggregate: what this service learnt of the placement from
 * its events (scope, consents, terms), the check-ins planned for it and where each stands, and the
 * answers recorded. Every change is a pure function here; the repository stores the result in one
 * single-document write with the events it causes.
 *
 * A check-in's life: scheduled → due (its job fired) → completed (a two-way answer), or missed (no
 * two-way answer by the end of the grace period; a late answer still completes it). It is skipped
 * when it falls due without the consent to ask its respondent, and cancelled when the placement
 * ends or a re-plan drops it.
 */
export type PlannedStatus = 'scheduled' | 'due' | 'completed' | 'missed' | 'skipped' | 'cancelled';

export interface Invitation {
  sent: boolean;
  /** The language the mail was written in (the person's own). */
  language?: 'ar' | 'en';
  /** Why it was not sent (no-consent, no-contact, mail-not-configured, ...). */
  reason?: string;
  at: string;
}

export interface PlannedCheckin {
  checkinId: string;
  milestoneDay: number;
  respondent: Respondent;
  /** YYYY-MM-DD */
  dueDate: string;
  /** YYYY-MM-DD: from the start of this day, a check-in still due is missed. */
  missAfter: string;
  /** How it is asked, by the policy it was planned with (the coach's first channel, or a link). */
  channel: 'visit' | 'phone' | 'message' | 'web-link';
  status: PlannedStatus;
  /** Why a skipped check-in was not asked. */
  skipReason?: SkipReason;
  dueAt?: string;
  completedAt?: string;
  missedAt?: string;
  daysOverdue?: number;
  /** The record that completed it. */
  recordId?: string;
  /** Participant and supervisor check-ins: whether their link was mailed. */
  invitation?: Invitation;
}

export type PlanStatus = 'awaiting-confirmation' | 'open' | 'ended';

export interface CheckinScores {
  stability: number | null;
  professionalAdaptation: number | null;
  socialAdaptation: number | null;
  satisfaction: number | null;
}

/** One recorded contact with its answers: by the coach, or through a participant's or supervisor's link. */
export interface CheckinRecord {
  recordId: string;
  /** The planned check-in it answers; null for a coach contact outside the plan. */
  checkinId: string | null;
  milestoneDay: number | null;
  respondent: Respondent;
  channel: 'visit' | 'phone' | 'message' | 'web-link';
  twoWay: boolean;
  recordedAt: string;
  /** The coach's user id, or 'link' for the holder of a signed link. */
  recordedBy: string;
  answers: Record<string, unknown>;
  scores: CheckinScores;
  flags: CheckinFlags;
  hours: { lastWeek: number; contracted: number } | null;
  /** The coach's private notes: kept in this service only, never in an event. */
  notes?: string;
  idempotencyKey?: string;
  /** sha256 of what was submitted: the same key with other answers is a conflict. */
  digest: string;
}

/** The placement's terms as the events told them: what answers are measured against. */
export interface KnownTerms {
  jobTitle: string | null;
  hoursPerWeek: number | null;
  accommodations: AccommodationCode[];
}

export interface FollowUpPlan {
  placementId: string;
  status: PlanStatus;
  /** Null until the placement is confirmed (the plan is made then). */
  startDate: string | null;
  endDate: string | null;
  /** The version of the programme policy the plan follows (0: the default policy). */
  policyVersion: number | null;
  graceDays: number;
  checkins: PlannedCheckin[];
  records: CheckinRecord[];
  /**
   * Who the placement belongs to (coach, employer, programme), as placement.recorded said and the
   * latest coach change moved it. Partial until placement.recorded arrived; it decides who may see
   * the plan (see `knownScope`).
   */
  scope: Partial<PlacementScope>;
  coachChangedAt: string | null;
  /** The participant's consents, from placement.recorded or the latest consent change; null: not known. */
  consents: ConsentFlags | null;
  consentsChangedAt: string | null;
  terms: KnownTerms;
}

/** A plan that knows nothing yet: the first event about a placement starts from it. */
export function emptyPlan(placementId: string): FollowUpPlan {
  return {
    placementId,
    status: 'awaiting-confirmation',
    startDate: null,
    endDate: null,
    policyVersion: null,
    graceDays: DEFAULT_POLICY.graceDays,
    checkins: [],
    records: [],
    scope: {},
    coachChangedAt: null,
    consents: null,
    consentsChangedAt: null,
    terms: { jobTitle: null, hoursPerWeek: null, accommodations: [] },
  };
}

/**
 * Whether a coach change decided at `changedAt` is to be kept over the one kept already (decided at
 * `keptAt`; none: yes). The same change again is kept again, which changes nothing; an older one
 * arriving late (replayed) is passed over, so the placement never goes back to an earlier coach.
 */
export function isLaterCoachChange(changedAt: Date, keptAt: Date | null): boolean {
  return keptAt === null || changedAt.getTime() >= keptAt.getTime();
}

/**
 * The scope placement.recorded gives, with the coach of a coach change kept already in place of
 * the coach it was recorded with: a placement is recorded before its coach can change, so a change
 * that arrived first (replayed, or from a dead-letter topic) is the later word.
 */
export function recordedScope(scope: PlacementScope, keptCoachId: string | null): PlacementScope {
  return keptCoachId ? { ...scope, coachId: keptCoachId } : scope;
}

/** The slot a check-in fills in its plan: one per milestone and respondent. */
export const slotOf = (c: Pick<PlannedCheckin, 'milestoneDay' | 'respondent'>) =>
  `d${c.milestoneDay}-${c.respondent}`;

export const checkinIdFor = (placementId: string, milestoneDay: number, respondent: Respondent) =>
  deterministicUuid(`checkin:${placementId}:${milestoneDay}:${respondent}`);

const DAY_MS = 86_400_000;

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Whole days from the start of `isoDate` (UTC) to `now`; negative before it. */
export function daysSince(isoDate: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${isoDate}T00:00:00Z`)) / DAY_MS);
}

/** When a job for `isoDate` should fire: the start of that day (UTC), or now if it has passed. */
export function delayUntil(isoDate: string, now: Date): number {
  return Math.max(0, Date.parse(`${isoDate}T00:00:00Z`) - now.getTime());
}

const byMilestone = (a: PlannedCheckin, b: PlannedCheckin) =>
  a.milestoneDay - b.milestoneDay || a.respondent.localeCompare(b.respondent);

/** What of a policy planning reads. */
export type PlanningPolicy = Pick<FollowUpPolicy, 'milestones' | 'graceDays' | 'channels'>;

/**
 * The check-ins of a placement that starts on `startDate`, by `policy`: one per milestone and
 * respondent, with ids that are the same however many times they are made.
 */
export function planCheckins(
  placementId: string,
  startDate: string,
  policy: PlanningPolicy,
): PlannedCheckin[] {
  return policy.milestones
    .flatMap(({ day, respondents }) =>
      respondents.map((respondent) => {
        const dueDate = addDays(startDate, day);
        return {
          checkinId: checkinIdFor(placementId, day, respondent),
          milestoneDay: day,
          respondent,
          dueDate,
          missAfter: addDays(dueDate, policy.graceDays),
          channel: dueChannelOf(respondent, policy),
          status: 'scheduled' as const,
        };
      }),
    )
    .sort(byMilestone);
}

/** An open plan of a placement confirmed to start on `startDate`, by `policy` (nothing else known). */
export function planFollowUps(
  placementId: string,
  startDate: string,
  policy: PlanningPolicy = DEFAULT_POLICY,
): FollowUpPlan {
  return {
    ...emptyPlan(placementId),
    status: 'open',
    startDate,
    graceDays: policy.graceDays,
    checkins: planCheckins(placementId, startDate, policy),
  };
}

/** What a re-plan did to the check-ins not yet due. */
export interface Replanned {
  plan: FollowUpPlan;
  /** New check-ins, and scheduled ones whose due date moved: their jobs are (re)made. */
  scheduled: PlannedCheckin[];
  /** Scheduled check-ins the new plan has no place for. */
  cancelled: PlannedCheckin[];
}

/**
 * The plan again, from `startDate` by `policy`, for the check-ins that have not fallen due: those
 * already due, answered, missed or skipped stay as they are (they happened); scheduled ones move to
 * their new dates; milestones the policy adds are planned; scheduled ones it drops are cancelled.
 */
export function replan(
  plan: FollowUpPlan,
  startDate: string,
  policy: PlanningPolicy,
  policyVersion: number,
): Replanned {
  const wanted = new Map(
    planCheckins(plan.placementId, startDate, policy).map((c) => [slotOf(c), c]),
  );
  const scheduled: PlannedCheckin[] = [];
  const cancelled: PlannedCheckin[] = [];
  const checkins: PlannedCheckin[] = [];
  for (const current of plan.checkins) {
    const slot = slotOf(current);
    const next = wanted.get(slot);
    wanted.delete(slot);
    if (current.status === 'cancelled' && next) {
      // A check-in an earlier re-plan dropped comes back when the policy asks for it again.
      scheduled.push(next);
      checkins.push(next);
    } else if (current.status !== 'scheduled') {
      checkins.push(current);
    } else if (!next) {
      const dropped = { ...current, status: 'cancelled' as const };
      cancelled.push(dropped);
      checkins.push(dropped);
    } else if (next.dueDate !== current.dueDate || next.missAfter !== current.missAfter) {
      scheduled.push(next);
      checkins.push(next);
    } else {
      checkins.push(current);
    }
  }
  for (const added of wanted.values()) {
    scheduled.push(added);
    checkins.push(added);
  }
  return {
    plan: {
      ...plan,
      startDate,
      policyVersion,
      graceDays: policy.graceDays,
      checkins: checkins.sort(byMilestone),
    },
    scheduled,
    cancelled,
  };
}

/**
 * The placement is confirmed: its plan is made from the confirmed start date by `policy`. A
 * confirmation seen again (redelivered) plans nothing new. Resolves the check-ins to schedule.
 */
export function confirmPlan(
  plan: FollowUpPlan,
  confirmed: { startDate: string; terms: Partial<KnownTerms> },
  policy: PlanningPolicy,
  policyVersion: number,
): { plan: FollowUpPlan; scheduled: PlannedCheckin[] } {
  const terms = { ...plan.terms, ...definedOnly(confirmed.terms) };
  if (plan.status !== 'awaiting-confirmation') return { plan: { ...plan, terms }, scheduled: [] };
  const checkins = planCheckins(plan.placementId, confirmed.startDate, policy);
  return {
    plan: {
      ...plan,
      status: 'open',
      startDate: confirmed.startDate,
      policyVersion,
      graceDays: policy.graceDays,
      checkins,
      terms,
    },
    scheduled: checkins,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The terms a placement event tells, kept for measuring answers (hours, accommodations agreed). */
export function learnTerms(plan: FollowUpPlan, terms: Partial<KnownTerms>): FollowUpPlan {
  return { ...plan, terms: { ...plan.terms, ...definedOnly(terms) } };
}

/**
 * The placement ended: nothing more is asked. Scheduled and due check-ins are cancelled (a due one
 * can no longer be missed); what happened stays. Ending again changes nothing.
 */
export function endPlan(
  plan: FollowUpPlan,
  endDate: string,
): { plan: FollowUpPlan; cancelled: PlannedCheckin[] } {
  if (plan.status === 'ended') return { plan, cancelled: [] };
  const cancelled: PlannedCheckin[] = [];
  const checkins = plan.checkins.map((c) => {
    if (c.status !== 'scheduled' && c.status !== 'due') return c;
    const dropped = { ...c, status: 'cancelled' as const };
    cancelled.push(dropped);
    return dropped;
  });
  return { plan: { ...plan, status: 'ended', endDate, checkins }, cancelled };
}

/** Replaces one check-in (by slot) in the plan. */
export function withCheckin(plan: FollowUpPlan, checkin: PlannedCheckin): FollowUpPlan {
  return {
    ...plan,
    checkins: plan.checkins.map((c) => (slotOf(c) === slotOf(checkin) ? checkin : c)),
  };
}

export function checkinBySlot(plan: FollowUpPlan, slot: string): PlannedCheckin | undefined {
  return plan.checkins.find((c) => slotOf(c) === slot);
}

export function checkinById(plan: FollowUpPlan, checkinId: string): PlannedCheckin | undefined {
  return plan.checkins.find((c) => c.checkinId === checkinId);
}

/** Check-ins that wait on someone: due, or missed and still unanswered. */
export const isOpenTask = (c: PlannedCheckin) => c.status === 'due' || c.status === 'missed';

export const openTaskCount = (plan: FollowUpPlan) => plan.checkins.filter(isOpenTask).length;
