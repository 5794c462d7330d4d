import { z } from 'zod';
import { Id, IsoDate, MilestoneDay, Respondent } from './common';

/** Payload of the delayed job that fires when a follow-up check-in falls due. */
export const FollowUpDueJobV1 = z
  .object({
    placementId: Id,
    checkinId: Id,
    milestoneDay: MilestoneDay,
    respondent: Respondent,
    dueDate: IsoDate,
    correlationId: z.string().min(1).max(128),
  })
  .strict();
export type FollowUpDueJobV1 = z.infer<typeof FollowUpDueJobV1>;

/**
 * Deterministic job id: one follow-up per placement, milestone and respondent, however often the
 * plan is made. BullMQ reserves ':' inside custom ids, so the parts are joined with '.'.
 */
export const followUpJobId = (placementId: string, milestoneDay: number, respondent: Respondent) =>
  `${placementId}.d${milestoneDay}.${respondent}`;

/** The job that fires when a due check-in's grace period ends: missed, unless answered by then. */
export const followUpMissedJobId = (
  placementId: string,
  milestoneDay: number,
  respondent: Respondent,
) => `${followUpJobId(placementId, milestoneDay, respondent)}.missed`;
