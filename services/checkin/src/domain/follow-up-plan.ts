import type { PlacementScope } from '@sanad/auth';
import { deterministicUuid, type ConsentFlags, type Respondent } from '@sanad/contracts';
import type { SkipReason } from './consent';

/** Who answers at which day after the start. A programme can change it. */
export interface FollowUpPolicy {
  milestones: { day: number; respondents: Respondent[] }[];
}

/**
 * Common supported-employment practice: contact at days 7, 14, 30, 60, 90, 180 and 365, by the coach
 * and the participant; the employer's supervisor is asked at days 30 and 90.
 */
export const DEFAULT_POLICY: FollowUpPolicy = {
  milestones: [7, 14, 30, 60, 90, 180, 365].map((day) => ({
    day,
    respondents:
      day === 30 || day === 90 ? ['coach', 'participant', 'supervisor'] : ['coach', 'participant'],
  })),
};

export type PlannedStatus = 'scheduled' | 'due' | 'skipped';

export interface PlannedCheckin {
  checkinId: string;
  milestoneDay: number;
  respondent: Respondent;
  /** YYYY-MM-DD */
  dueDate: string;
  status: PlannedStatus;
  /** Why a skipped check-in was not asked. */
  skipReason?: SkipReason;
}

export interface FollowUpPlan {
  placementId: string;
  startDate: string;
  checkins: PlannedCheckin[];
  /**
   * Who the placement belongs to (coach, employer, programme), as placement.recorded said and the
   * latest coach change (placement.changed) moved it; null while this service has not seen its
   * placement.recorded. It decides who may see the plan.
   */
  scope: PlacementScope | null;
  /**
   * The participant's consents, from placement.recorded or the latest placement.consent-changed;
   * null when not known (the placement service does not hold the participant).
   */
  consents: ConsentFlags | null;
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

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The plan for a placement that starts on `startDate`: one check-in per milestone and respondent,
 * with ids that are the same however many times the plan is made.
 */
export function planFollowUps(
  placementId: string,
  startDate: string,
  policy: FollowUpPolicy,
  scope: PlacementScope | null = null,
  consents: ConsentFlags | null = null,
): FollowUpPlan {
  const checkins = policy.milestones.flatMap(({ day, respondents }) =>
    respondents.map((respondent) => ({
      checkinId: checkinIdFor(placementId, day, respondent),
      milestoneDay: day,
      respondent,
      dueDate: addDays(startDate, day),
      status: 'scheduled' as const,
    })),
  );
  return { placementId, startDate, checkins, scope, consents };
}

/** When a check-in's job should fire: the start of its due day (UTC), or now if that has passed. */
export function delayUntilDue(dueDate: string, now: Date): number {
  return Math.max(0, Date.parse(`${dueDate}T00:00:00Z`) - now.getTime());
}
