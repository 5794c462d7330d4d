import { randomUUID } from 'node:crypto';
import { deterministicUuid } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import {
  recordPlacement,
  sameCommand,
  type Placement,
  type RecordPlacement,
} from '../domain/placement';
import type { Clock, OutboxNotifier, PlacementRepository } from './ports';

export interface RecordPlacementDeps {
  placements: PlacementRepository;
  clock: Clock;
  outbox: OutboxNotifier;
}

export interface RecordPlacementRequest {
  command: RecordPlacement;
  correlationId: string;
  /** Same key, same placement: a double click or a retry creates one record. */
  idempotencyKey?: string;
}

/** The placement an idempotency key stands for: the same key always names the same placement. */
export const placementIdFor = (idempotencyKey: string): string =>
  deterministicUuid(`placement:${idempotencyKey}`);

export function makeRecordPlacement({ placements, clock, outbox }: RecordPlacementDeps) {
  return async ({
    command,
    correlationId,
    idempotencyKey,
  }: RecordPlacementRequest): Promise<{ placement: Placement; created: boolean }> => {
    const id = idempotencyKey ? placementIdFor(idempotencyKey) : randomUUID();
    const { placement, events } = recordPlacement(command, id, clock.now(), {
      producer: 'placement',
      correlationId,
      causationId: null,
    });
    if ((await placements.insert(placement, events)) === 'inserted') {
      outbox.nudge();
      return { placement, created: true };
    }
    const existing = await placements.findById(id);
    if (existing && sameCommand(existing, command)) return { placement: existing, created: false };
    throw AppError.conflict('this Idempotency-Key was already used for a different placement');
  };
}
