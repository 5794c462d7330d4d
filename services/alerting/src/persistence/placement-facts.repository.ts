import type { Connection } from 'mongoose';
import type { WriteLocks } from '@sanad/messaging';
import type { PlacementFactsRepository } from '../application/ports';
import { withoutStaleCoach, type PlacementFacts } from '../domain/placement-facts';
import { placementFactsModel, type PlacementFactsDocument } from './placement-facts.model';

export function createPlacementFactsRepository(
  db: Connection,
  locks: WriteLocks,
): PlacementFactsRepository {
  const collection = placementFactsModel(db).collection;
  return {
    async apply(placementId, update, eventId) {
      // Two consumers (placement and check-in events) update the same document: one at a time.
      await locks.run(collection.collectionName, placementId, async () => {
        let applied = update;
        if (update.coachId !== undefined) {
          const kept = await collection.findOne<Pick<PlacementFactsDocument, 'coachChangedAt'>>(
            { _id: placementId as never },
            { projection: { coachChangedAt: 1 } },
          );
          applied = withoutStaleCoach(
            update,
            kept?.coachChangedAt ? new Date(kept.coachChangedAt).toISOString() : null,
          );
        }
        const { addScheduledCheckinId, coachChangedAt, ...fields } = applied;
        await collection.updateOne(
          { _id: placementId as never },
          {
            $set: {
              ...fields,
              ...(coachChangedAt ? { coachChangedAt: new Date(coachChangedAt) } : {}),
              lastEventId: eventId,
              updatedAt: new Date(),
            },
            ...(addScheduledCheckinId
              ? { $addToSet: { scheduledCheckinIds: addScheduledCheckinId } }
              : {}),
          },
          { upsert: true },
        );
      });
    },
    async find(placementId) {
      const doc = await collection.findOne<PlacementFactsDocument>({ _id: placementId as never });
      if (!doc) return null;
      const { _id, lastEventId: _e, updatedAt: _u, coachChangedAt, ...rest } = doc;
      return {
        ...rest,
        ...(coachChangedAt ? { coachChangedAt: new Date(coachChangedAt).toISOString() } : {}),
        placementId: _id,
        scheduledCheckinIds: doc.scheduledCheckinIds ?? [],
      } satisfies PlacementFacts;
    },
  };
}
