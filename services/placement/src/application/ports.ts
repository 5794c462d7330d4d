import type { PlacementFilter } from '@sanad/auth';
import type { Envelope } from '@sanad/contracts';
import type { Placement, PlacementStatus } from '../domain/placement';

export interface PlacementListQuery {
  /** Which placements the caller may see (from `placementFilterFor`). */
  visible: PlacementFilter;
  status?: PlacementStatus;
  programmeId?: string;
  limit: number;
}

export interface PlacementRepository {
  /** Stores a new placement and its events in one write; 'exists' if the id is taken. */
  insert(placement: Placement, events: readonly Envelope[]): Promise<'inserted' | 'exists'>;
  findById(id: string): Promise<Placement | null>;
  /** The newest placements first (recordedAt descending, then id), at most `limit`. */
  list(query: PlacementListQuery): Promise<Placement[]>;
}

export interface Clock {
  now(): Date;
}

export interface OutboxNotifier {
  /** Tells the relay that events are waiting, so they leave without waiting for its next poll. */
  nudge(): void;
}
