import type { Connection } from 'mongoose';
import type { WriteLocks } from '@sanad/messaging';
import type { PlacementFactsRepository } from '../application/ports';
import type { PlacementFacts } from '../domain/placement-facts';
import { placementFactsModel, type PlacementFactsDocument } from './placement-facts.model';

export function createPlacementFactsRepository(
  db: Connection,
  locks: WriteLocks,
): PlacementFactsRepository {
  const collection = placementFactsModel(db).collection;
  return {
    async apply(placementId, update, eventId) {
      const { addScheduledCheckinId, ...fields } = update;
      // Two consumers (placement and check-in events) update the same document: one at a time.
      await locks.run(collection.collectionName, placementId, () =>
        collection.updateOne(
          { _id: placementId as never },
          {
            $set: { ...fields, lastEventId: eventId, updatedAt: new Date() },
            ...(addScheduledCheckinId
              ? { $addToSet: { scheduledCheckinIds: addScheduledCheckinId } }
              : {}),
          },
          { upsert: true },
        ),
      );
    },
    async find(placementId) {
      const doc = await collection.findOne<PlacementFactsDocument>({ _id: placementId as never });
      if (!doc) return null;
      const { _id, lastEventId: _e, updatedAt: _u, ...rest } = doc;
      return {
        ...rest,
        placementId: _id,
        scheduledCheckinIds: doc.scheduledCheckinIds ?? [],
      } satisfies PlacementFacts;
    },
  };
}
