import type { FactsUpdate, PlacementFacts } from '../domain/placement-facts';

export interface PlacementFactsRepository {
  /**
   * Applies an update to one placement's facts in one idempotent write; a coach that is not the
   * latest word (see `withoutStaleCoach`) is left out of it.
   */
  apply(placementId: string, update: FactsUpdate, eventId: string): Promise<void>;
  find(placementId: string): Promise<PlacementFacts | null>;
}
