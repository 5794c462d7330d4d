import {
  changeOf,
  createEvent,
  deterministicUuid,
  PlacementChangedV1,
  type Envelope,
  type EventContext,
  type PlacementChangedV1 as PlacementChangedEvent,
} from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { Participant } from './participant';
import type { Placement } from './placement';

/** What a caseload change needs to know of a placement. */
export type PlacementCoach = Pick<Placement, 'id' | 'coachId' | 'status'>;

/**
 * Moves a participant to another coach's caseload. The same coach again changes nothing. With
 * `expectedVersion`, the participant must still be at that version (else STALE_VERSION: the caller
 * decided on what has changed since). An erased participant's tombstone moves too (their placements
 * stay followed up) and stays a tombstone: no timestamp is added to it.
 */
export function reassignCoach(
  participant: Participant,
  coachId: string,
  { now, expectedVersion }: { now: Date; expectedVersion?: number },
): { participant: Participant; changed: boolean } {
  if (expectedVersion !== undefined && expectedVersion !== participant.version) {
    throw new AppError(
      'STALE_VERSION',
      `the participant is at version ${participant.version}, not ${expectedVersion}: reload and try again`,
    );
  }
  if (participant.coachId === coachId) return { participant, changed: false };
  return {
    participant: {
      ...participant,
      coachId,
      version: participant.version + 1,
      ...(participant.status === 'erased' ? {} : { updatedAt: now.toISOString() }),
    },
    changed: true,
  };
}

/**
 * The coach change a forwarded event makes to its placement, besides joining its outbox: the coach
 * it moves the placement from and to; null for any other event.
 */
export function coachChangeOf(event: Envelope): { before: string; after: string } | null {
  if (event.type !== PlacementChangedV1.type || event.version !== PlacementChangedV1.version) {
    return null;
  }
  const parsed = PlacementChangedV1.data.safeParse(event.data);
  const change = parsed.success ? changeOf(parsed.data.changes, 'coachId') : undefined;
  return change ? { before: change.before, after: change.after } : null;
}

/**
 * The coach each placement will have once the coach changes still waiting in the participant's
 * outbox (decided, not yet moved into their placements) are applied, in the order they were
 * decided: what a new change starts from.
 */
export function pendingCoaches(
  placements: readonly PlacementCoach[],
  pending: readonly Envelope[],
): PlacementCoach[] {
  const latest = new Map<string, string>();
  for (const event of pending) {
    const change = coachChangeOf(event);
    if (change) latest.set(event.key, change.after);
  }
  return placements.map((p) => ({ ...p, coachId: latest.get(p.id) ?? p.coachId }));
}

/**
 * One placement.changed (coachId, before and after, effective today) per placement of the
 * participant that has not ended and is not with their coach already, keyed by the placement. The
 * event id is fixed by placement, participant and version, so moving it again into the placement's
 * outbox (after a crash) is harmless: the placement takes it once, consumers pass a known id over.
 */
export function coachChangedEvents(
  participant: Participant,
  placements: readonly PlacementCoach[],
  context: EventContext,
  now: Date,
): PlacementChangedEvent[] {
  return placements
    .filter((p) => p.status !== 'ended' && p.coachId !== participant.coachId)
    .map((p) =>
      createEvent(
        PlacementChangedV1,
        {
          placementId: p.id,
          changes: [{ field: 'coachId', before: p.coachId, after: participant.coachId }],
          effectiveDate: now.toISOString().slice(0, 10),
        },
        context,
        now,
        deterministicUuid(
          `placement.changed:coachId:${p.id}:${participant.id}:v${participant.version}`,
        ),
      ),
    );
}
