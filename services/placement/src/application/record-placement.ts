import { randomUUID } from 'node:crypto';
import { mayRecordPlacement, maySeePlacement, type Caller } from '@sanad/auth';
import { deterministicUuid } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import { consentFlags } from '../domain/participant';
import {
  recordPlacement,
  sameCommand,
  type Placement,
  type RecordPlacement,
} from '../domain/placement';
import type { Clock, OutboxNotifier, ParticipantRepository, PlacementRepository } from './ports';

export interface RecordPlacementDeps {
  placements: PlacementRepository;
  participants: ParticipantRepository;
  clock: Clock;
  outbox: OutboxNotifier;
}

export interface RecordPlacementRequest {
  caller: Caller;
  command: RecordPlacement;
  correlationId: string;
  /** Same caller, same key, same placement: a double click or a retry creates one record. */
  idempotencyKey?: string;
}

/**
 * The placement an idempotency key stands for. Keys belong to the caller who sent them: the same
 * user and key always name the same placement, and another user's identical key names another, so
 * a replay can never hand one caller a placement another one recorded.
 */
export const placementIdFor = (userId: string, idempotencyKey: string): string =>
  deterministicUuid(`placement:${userId}:${idempotencyKey}`);

export function makeRecordPlacement({
  placements,
  participants,
  clock,
  outbox,
}: RecordPlacementDeps) {
  return async ({
    caller,
    command,
    correlationId,
    idempotencyKey,
  }: RecordPlacementRequest): Promise<{ placement: Placement; created: boolean }> => {
    if (!mayRecordPlacement(caller, command)) {
      throw new AppError(
        'FORBIDDEN',
        caller.role === 'employer-user'
          ? 'employer users do not record placements'
          : 'you may record placements only in your own programmes or caseload',
      );
    }
    const id = idempotencyKey ? placementIdFor(caller.userId, idempotencyKey) : randomUUID();
    // The participant's consents go with placement.recorded when this service holds them. Read and
    // stored while their consents cannot change: a change either comes first (and is read here) or
    // after (and then finds this placement and tells it with placement.consent-changed).
    const { placement, inserted } = await participants.exclusive(
      command.participantId,
      async () => {
        const participant = await participants.findById(command.participantId);
        const recorded = recordPlacement(
          command,
          id,
          clock.now(),
          { producer: 'placement', correlationId, causationId: null },
          participant ? consentFlags(participant) : undefined,
        );
        const outcome = await placements.insert(recorded.placement, recorded.events);
        return { placement: recorded.placement, inserted: outcome === 'inserted' };
      },
    );
    if (inserted) {
      outbox.nudge({ collection: 'placements', id: placement.id });
      return { placement, created: true };
    }
    const existing = await placements.findById(id);
    // The key is the caller's own, so this is their placement; checked all the same.
    if (!existing || !maySeePlacement(caller, existing)) throw AppError.notFound('placement');
    if (sameCommand(existing, command)) return { placement: existing, created: false };
    throw AppError.conflict('this Idempotency-Key was already used for a different placement');
  };
}
