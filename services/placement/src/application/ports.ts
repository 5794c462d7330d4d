import type { ParticipantFilter, PlacementFilter } from '@sanad/auth';
import type { Envelope } from '@sanad/contracts';
import type { Participant, ParticipantStatus } from '../domain/participant';
import type { Placement, PlacementStatus } from '../domain/placement';

export interface PlacementListFilters {
  status?: PlacementStatus;
  programmeId?: string;
  participantId?: string;
  coachId?: string;
  employerId?: string;
  /** Started on or after this day (YYYY-MM-DD). */
  startFrom?: string;
  /** Started on or before this day. */
  startTo?: string;
}

export interface PlacementListQuery extends PlacementListFilters {
  /** Which placements the caller may see (from `placementFilterFor`). */
  visible: PlacementFilter;
  limit: number;
  /** Where the previous page ended (its `nextCursor`). */
  cursor?: string;
}

export interface PlacementPage {
  placements: Placement[];
  /** Give it back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PlacementRepository {
  /** Stores a new placement and its events in one write; 'exists' if the id is taken. */
  insert(placement: Placement, events: readonly Envelope[]): Promise<'inserted' | 'exists'>;
  /**
   * Writes a decided change and its events in one write, if the placement is still at
   * `expectedVersion`; 'stale' if another write came first.
   */
  update(
    placement: Placement,
    expectedVersion: number,
    events: readonly Envelope[],
  ): Promise<'updated' | 'stale'>;
  findById(id: string): Promise<Placement | null>;
  /** The newest placements first (recordedAt descending, then id), a page of at most `limit`. */
  list(query: PlacementListQuery): Promise<PlacementPage>;
  /** Every placement of a participant, oldest first. */
  ofParticipant(participantId: string): Promise<Placement[]>;
  /** The ids of a participant's placements that have not ended. */
  activeIdsOf(participantId: string): Promise<string[]>;
}

export interface ParticipantListQuery {
  /** Which participants the caller may see (from `participantFilterFor`). */
  visible: ParticipantFilter;
  status?: ParticipantStatus;
  programmeId?: string;
  /** One coach's caseload, within what the caller may see. */
  coachId?: string;
  limit: number;
}

/** What a list shows of a participant: ids, code and status, never a name. */
export type ParticipantSummary = Pick<
  Participant,
  'id' | 'code' | 'programmeId' | 'coachId' | 'status'
>;

/** A decided change: the participant's next state and the events it causes. */
export interface ParticipantChange {
  participant: Participant;
  events: readonly Envelope[];
}

/** The code given was taken by another participant (the unique index said so): draw another. */
export class ParticipantCodeTaken extends Error {
  constructor() {
    super('participant code taken');
    this.name = 'ParticipantCodeTaken';
  }
}

export interface ParticipantRepository {
  /** Stores a new participant; 'exists' if the id is taken, 'code-taken' if the code is. */
  insert(participant: Participant): Promise<'inserted' | 'exists' | 'code-taken'>;
  findById(id: string): Promise<Participant | null>;
  /** The newest first (then by id), at most `limit`. */
  list(query: ParticipantListQuery): Promise<ParticipantSummary[]>;
  /**
   * Reads the participant, lets `decide` choose the change (or none: null) and writes it with its
   * events in one write, all while no other write of this participant can run. The events wait in
   * the participant's own outbox; `decide` also gets those still waiting there from earlier
   * changes (decided, not yet moved into their placements). Resolves with the participant as
   * stored (null if missing); throws ParticipantCodeTaken if the new code is another's.
   */
  update(
    id: string,
    decide: (
      current: Participant,
      pending: readonly Envelope[],
    ) => Promise<ParticipantChange | null>,
  ): Promise<Participant | null>;
  /** Runs `work` while no write of this participant can happen (to read consents and act on them). */
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T>;
}

/** Who reads or changes personal data, why, and in which request. */
/** Who asks, why and in which request; and the trail every access is recorded in. */
export type { AccessContext, AuditTrail } from '@sanad/service-kit';

export interface Clock {
  now(): Date;
}

export interface OutboxNotifier {
  /** Tells the relay that events are waiting, so they leave without waiting for its next poll. */
  /** Naming the document written lets the relay read just that one (see createOutboxRelay). */
  nudge(written?: { collection: string; id: string }): void;
}

/** A fresh random participant code. */
export type CodeSource = () => string;
