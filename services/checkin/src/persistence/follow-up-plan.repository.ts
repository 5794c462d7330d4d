import type { Connection } from 'mongoose';
import { knownScope } from '@sanad/auth';
import type { ConsentFlags } from '@sanad/contracts';
import {
  isDuplicateKeyError,
  outboxPush,
  toOutboxEntries,
  type WriteLocks,
} from '@sanad/messaging';
import type { FollowUpPlanRepository } from '../application/ports';
import {
  isLaterCoachChange,
  recordedScope,
  slotOf,
  type FollowUpPlan,
} from '../domain/follow-up-plan';
import { followUpPlanModel, type FollowUpPlanDocument } from './follow-up-plan.model';

const consentsOf = (doc: Pick<FollowUpPlanDocument, 'consents'> | null): ConsentFlags | null =>
  doc?.consents
    ? {
        followUp: doc.consents.followUp,
        employerContact: doc.consents.employerContact,
        reportingByCategory: doc.consents.reportingByCategory,
      }
    : null;

function toPlan(
  doc: FollowUpPlanDocument & Required<Pick<FollowUpPlanDocument, 'startDate' | 'checkins'>>,
): FollowUpPlan {
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
        ...(c.skipReason ? { skipReason: c.skipReason } : {}),
      }))
      .sort((a, b) => a.milestoneDay - b.milestoneDay || a.respondent.localeCompare(b.respondent)),
    scope: knownScope(doc.scope),
    consents: consentsOf(doc),
  };
}

export function createFollowUpPlanRepository(
  db: Connection,
  locks: WriteLocks,
): FollowUpPlanRepository {
  // Native collection for the writes: each is exactly one single-document write, under the
  // document's write lock (see WriteLocks for why).
  const plans = followUpPlanModel(db).collection;
  const locked = <T>(placementId: string, write: () => Promise<T>) =>
    locks.run(plans.collectionName, placementId, write);

  const find = async (placementId: string) => {
    const doc = await plans.findOne<FollowUpPlanDocument>(
      { _id: placementId as never },
      { projection: { outbox: 0 } },
    );
    // A stub (consents that came before the plan) is no plan yet.
    return doc?.startDate && doc.checkins ? toPlan(doc as Parameters<typeof toPlan>[0]) : null;
  };

  return {
    find,
    async createIfAbsent(plan, events) {
      const checkins = Object.fromEntries(plan.checkins.map((c) => [slotOf(c), c]));
      const scope = plan.scope ? knownScope(plan.scope) : null;
      await locked(plan.placementId, async () => {
        const existing = await plans.findOne<
          Pick<FollowUpPlanDocument, 'startDate' | 'consents' | 'scope' | 'coachChangedAt'>
        >(
          { _id: plan.placementId as never },
          { projection: { startDate: 1, consents: 1, scope: 1, coachChangedAt: 1 } },
        );
        if (!existing) {
          try {
            await plans.insertOne({
              _id: plan.placementId as never,
              startDate: plan.startDate,
              checkins,
              createdAt: new Date(),
              ...(scope ? { scope } : {}),
              ...(plan.consents ? { consents: plan.consents } : {}),
              outbox: toOutboxEntries(events),
            });
          } catch (error) {
            // Two instances storing the same new plan at once: the other one won, which is fine.
            if (!isDuplicateKeyError(error)) throw error;
          }
          return;
        }
        const stub = !existing.startDate;
        // A coach change kept already is the later word on the coach.
        const keptCoachId = existing.coachChangedAt ? (existing.scope?.coachId ?? null) : null;
        const $set: Record<string, unknown> = {
          ...(stub ? { startDate: plan.startDate, checkins, createdAt: new Date() } : {}),
          ...(scope ? { scope: recordedScope(scope, keptCoachId) } : {}),
          // Consents already stored came from a later change (or the same recorded event).
          ...(plan.consents && !existing.consents ? { consents: plan.consents } : {}),
        };
        if (Object.keys($set).length === 0) return;
        await plans.updateOne(
          { _id: plan.placementId as never },
          { $set, ...(stub ? { $push: outboxPush(events) as never } : {}) },
        );
      });
      const stored = await find(plan.placementId);
      if (!stored) throw new Error(`plan ${plan.placementId} vanished after it was stored`);
      return stored;
    },
    async settleDue(placementId, slot, decide) {
      return locked(placementId, async () => {
        const path = `checkins.${slot}`;
        const doc = await plans.findOne<FollowUpPlanDocument>(
          { _id: placementId as never },
          { projection: { checkins: 1, consents: 1 } },
        );
        if (doc?.checkins?.[slot]?.status !== 'scheduled') return 'unchanged';
        const decision = decide(consentsOf(doc));
        const now = new Date();
        const result = await plans.updateOne(
          { _id: placementId as never, [`${path}.status`]: 'scheduled' },
          decision.status === 'due'
            ? {
                $set: { [`${path}.status`]: 'due', [`${path}.dueAt`]: now },
                $push: outboxPush(decision.events) as never,
              }
            : {
                $set: {
                  [`${path}.status`]: 'skipped',
                  [`${path}.skippedAt`]: now,
                  [`${path}.skipReason`]: decision.reason,
                },
              },
        );
        return result.modifiedCount === 1 ? decision.status : 'unchanged';
      });
    },
    async storeCoach(placementId, coachId, changedAt) {
      return locked(placementId, async () => {
        const doc = await plans.findOne<Pick<FollowUpPlanDocument, 'coachChangedAt'>>(
          { _id: placementId as never },
          { projection: { coachChangedAt: 1 } },
        );
        const keptAt = doc?.coachChangedAt ? new Date(doc.coachChangedAt) : null;
        if (!isLaterCoachChange(changedAt, keptAt)) return false;
        // The coach alone: employer and programme stay as placement.recorded gave them (or come
        // with it later, the coach kept).
        const fields = { 'scope.coachId': coachId, coachChangedAt: changedAt };
        if (doc) {
          await plans.updateOne({ _id: placementId as never }, { $set: fields });
          return true;
        }
        try {
          await plans.insertOne({
            _id: placementId as never,
            scope: { coachId },
            coachChangedAt: changedAt,
            outbox: [],
          });
          return true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // Another instance made the plan meanwhile: the change is later than its recorded coach.
          await plans.updateOne({ _id: placementId as never }, { $set: fields });
          return true;
        }
      });
    },
    async storeConsents(placementId, consents, changedAt) {
      return locked(placementId, async () => {
        const doc = await plans.findOne<Pick<FollowUpPlanDocument, 'consentsChangedAt'>>(
          { _id: placementId as never },
          { projection: { consentsChangedAt: 1 } },
        );
        const storedAt = doc?.consentsChangedAt ? new Date(doc.consentsChangedAt).getTime() : -1;
        if (storedAt > changedAt.getTime()) return false; // a later change is stored already
        const fields = {
          consents: {
            followUp: consents.followUp,
            employerContact: consents.employerContact,
            reportingByCategory: consents.reportingByCategory,
          },
          consentsChangedAt: changedAt,
        };
        if (doc) {
          await plans.updateOne({ _id: placementId as never }, { $set: fields });
          return true;
        }
        try {
          await plans.insertOne({ _id: placementId as never, ...fields, outbox: [] });
          return true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // Another instance made the plan meanwhile; its own consents are older than a change.
          await plans.updateOne({ _id: placementId as never }, { $set: fields });
          return true;
        }
      });
    },
  };
}
