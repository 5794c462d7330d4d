import type { Connection } from 'mongoose';
import type { EventPublisher, WriteLocks } from '@sanad/messaging';
import { coachChangeOf } from '../domain/caseload';
import { PLACEMENTS, type PlacementDocument } from '../persistence/placement.model';

export const PLACEMENTS_COLLECTION = PLACEMENTS;

/**
 * The "publisher" of the participants' outbox relay: instead of the broker, it appends each event
 * to the outbox of its placement (the event's key), under that placement's write lock, so that the
 * placement's own relay publishes it in order with the placement's other events. An event already
 * waiting there is not added twice; one already published and added again is harmless (its id is
 * fixed and consumers pass a known id over).
 *
 * A coach change (placement.changed, coachId) also moves the placement, in the same write: the
 * placement takes it only while it is still with the coach the change starts from, so a change
 * moved again after a crash (or after a later change) neither moves it back nor goes out twice.
 */
export function createPlacementOutboxForwarder({
  db,
  locks,
  onForwarded,
}: {
  db: Connection;
  locks: WriteLocks;
  /** Called after events were added to these placements: nudge their relay about each. */
  onForwarded: (placementIds: readonly string[]) => void;
}): EventPublisher {
  const placements = db.collection<PlacementDocument>(PLACEMENTS_COLLECTION);
  return {
    connect: async () => undefined,
    async publish(events) {
      for (const event of events) {
        const coach = coachChangeOf(event);
        await locks.run(PLACEMENTS_COLLECTION, event.key, () =>
          placements.updateOne(
            // "no outbox entry has this id". Not `'outbox.eventId': {$ne}` nor `$elemMatch`:
            // FerretDB 1.24 answers both wrongly on an array of documents; `$nor` of the
            // equality is right on it and on MongoDB.
            {
              _id: event.key,
              ...(coach ? { coachId: coach.before } : {}),
              $nor: [{ 'outbox.eventId': event.eventId }],
            },
            {
              $push: { outbox: { eventId: event.eventId, event } },
              ...(coach ? { $set: { coachId: coach.after }, $inc: { version: 1 } } : {}),
            },
          ),
        );
      }
      if (events.length > 0) onForwarded([...new Set(events.map((e) => e.key))]);
    },
    sendRaw: () =>
      Promise.reject(new Error('the placement outbox forwarder sends no raw messages')),
    disconnect: async () => undefined,
  };
}
