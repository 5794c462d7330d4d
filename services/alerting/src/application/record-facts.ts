import type { Envelope } from '@sanad/contracts';
import { factsFrom } from '../domain/placement-facts';
import type { PlacementFactsRepository } from './ports';

type FactEvent = Parameters<typeof factsFrom>[0];

/** An event about a placement arrived: keep its facts for the risk rules. */
export const makeRecordFacts =
  (facts: PlacementFactsRepository) =>
  async (event: FactEvent & Envelope): Promise<void> => {
    await facts.apply(event.data.placementId, factsFrom(event), event.eventId);
  };
