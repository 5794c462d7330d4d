import type { Envelope } from '@sanad/contracts';
import type { Placement } from '../domain/placement';

export interface PlacementRepository {
  /** Stores a new placement and its events in one write; 'exists' if the id is taken. */
  insert(placement: Placement, events: readonly Envelope[]): Promise<'inserted' | 'exists'>;
  findById(id: string): Promise<Placement | null>;
}

export interface Clock {
  now(): Date;
}

export interface OutboxNotifier {
  /** Tells the relay that events are waiting, so they leave without waiting for its next poll. */
  nudge(): void;
}
