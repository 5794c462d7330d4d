import { changeOf, type PlacementChangedV1 } from '@sanad/contracts';
import type { FollowUpPlanRepository } from './ports';

/**
 * A placement changed: when it moved to another coach's caseload, keep the new coach with its plan,
 * so that from now on the new coach sees it and the old one does not. Other changes say nothing
 * this service keeps. Resolves true if a coach was stored.
 */
export const makeRecordCoachChange =
  ({ plans }: { plans: FollowUpPlanRepository }) =>
  async (event: PlacementChangedV1): Promise<boolean> => {
    const change = changeOf(event.data.changes, 'coachId');
    if (!change) return false;
    return plans.storeCoach(event.data.placementId, change.after, new Date(event.occurredAt));
  };
