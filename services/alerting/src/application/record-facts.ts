import type { Envelope } from '@sanad/contracts';
import { factsFrom } from '../domain/placement-facts';
import type { PlacementFactsRepository } from './ports';

type FactEvent = Parameters<typeof factsFrom>[0];

/**
 * An event about a placement arrived: keep its facts for the risk rules. An event that says nothing
 * kept here (a change of something the rules do not read yet) writes nothing.
 */
export const makeRecordFacts =
  (facts: PlacementFactsRepository) =>
  async (event: FactEvent & Envelope): Promise<void> => {
    const update = factsFrom(event);
    if (Object.keys(update).length === 0) return;
    await facts.apply(event.data.placementId, update, event.eventId);
  };
