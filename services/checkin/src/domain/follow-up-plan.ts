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
   * Who the placement belongs to (coach, employer, programme), as placement.recorded said; null
   * while this service has not seen it. It decides who may see the plan.
   */
  scope: PlacementScope | null;
  /**
   * The participant's consents, from placement.recorded or the latest placement.consent-changed;
   * null when not known (the placement service does not hold the participant).
   */
  consents: ConsentFlags | null;
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
