import type { PlacementConsentChangedV1 } from '@sanad/contracts';
import type { FollowUpPlanRepository } from './ports';

/**
 * A participant's consents changed: keep them with the placement's plan, so that check-ins that
 * fall due from now on honour them. An older change arriving late (or again) is passed over.
 */
export const makeRecordConsents =
  ({ plans }: { plans: FollowUpPlanRepository }) =>
  async (event: PlacementConsentChangedV1): Promise<boolean> => {
    const { placementId, consents, changedAt } = event.data;
    return plans.storeConsents(placementId, consents, new Date(changedAt));
  };
