import type { Connection } from 'mongoose';
import { knownScope } from '@sanad/auth';
import {
  isDuplicateKeyError,
  outboxPush,
  toOutboxEntries,
  type WriteLocks,
} from '@sanad/messaging';
import type { FollowUpPlanRepository } from '../application/ports';
import { slotOf, type FollowUpPlan } from '../domain/follow-up-plan';
import { followUpPlanModel, type FollowUpPlanDocument } from './follow-up-plan.model';

function toPlan(doc: FollowUpPlanDocument): FollowUpPlan {
  return {
    placementId: doc._id,
    startDate: doc.startDate,
    checkins: Object.values(doc.checkins)
      .map((c) => ({
        checkinId: c.checkinId,
        milestoneDay: c.milestoneDay,
        respondent: c.respondent,
        dueDate: c.dueDate,
        status: c.status,
      }))
      .sort((a, b) => a.milestoneDay - b.milestoneDay || a.respondent.localeCompare(b.respondent)),
    scope: knownScope(doc.scope),
  };
}

export function createFollowUpPlanRepository(
  db: Connection,
  locks: WriteLocks,
): FollowUpPlanRepository {
  // Native collection for the writes: each is exactly one single-document update, under the
  // document's write lock (see WriteLocks for why).
  const plans = followUpPlanModel(db).collection;
  const locked = <T>(placementId: string, write: () => Promise<T>) =>
    locks.run(plans.collectionName, placementId, write);

  const find = async (placementId: string) => {
    const doc = await plans.findOne<FollowUpPlanDocument>(
      { _id: placementId as never },
      { projection: { outbox: 0 } },
    );
    return doc ? toPlan(doc) : null;
  };

  return {
    find,
    async createIfAbsent(plan, events) {
      const checkins = Object.fromEntries(plan.checkins.map((c) => [slotOf(c), c]));
      try {
        await locked(plan.placementId, () =>
          plans.updateOne(
            { _id: plan.placementId as never },
            {
              $setOnInsert: {
                startDate: plan.startDate,
                checkins,
                createdAt: new Date(),
                outbox: toOutboxEntries(events),
              },
              ...(plan.scope ? { $set: { scope: knownScope(plan.scope) } } : {}),
            },
            { upsert: true },
          ),
        );
      } catch (error) {
        // Two instances upserting the same new plan at once: the other one won, which is fine.
        if (!isDuplicateKeyError(error)) throw error;
      }
      const stored = await find(plan.placementId);
      if (!stored) throw new Error(`plan ${plan.placementId} vanished after it was stored`);
      return stored;
    },
    async markDue(placementId, slot, events) {
      const result = await locked(placementId, () =>
        plans.updateOne(
          { _id: placementId as never, [`checkins.${slot}.status`]: 'scheduled' },
          {
            $set: { [`checkins.${slot}.status`]: 'due', [`checkins.${slot}.dueAt`]: new Date() },
            $push: outboxPush(events) as never,
          },
        ),
      );
      return result.modifiedCount === 1;
    },
  };
}
