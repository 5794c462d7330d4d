import { knownScope, maySeePlacement, type Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import type { PlacementFacts } from '../domain/placement-facts';
import type { PlacementFactsRepository } from './ports';

/**
 * What the risk rules know of a placement, if the caller may see it. Facts gathered before the
 * placement's placement.recorded arrived have no scope yet: only an admin sees those.
 */
export const makeGetFacts =
  (facts: PlacementFactsRepository) =>
  async ({
    caller,
    placementId,
  }: {
    caller: Caller;
    placementId: string;
  }): Promise<PlacementFacts> => {
    const found = await facts.find(placementId);
    if (!found || !maySeePlacement(caller, knownScope(found))) {
      throw AppError.notFound('placement facts');
    }
    return found;
  };
