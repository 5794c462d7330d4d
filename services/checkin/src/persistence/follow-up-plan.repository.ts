import type { Connection } from 'mongoose';
import type { Envelope } from '@sanad/contracts';
import {
  isDuplicateKeyError,
  outboxPush,
  toOutboxEntries,
  type WriteLocks,
} from '@sanad/messaging';
import type { FollowUpPlanRepository, PlanChange, TaskQuery } from '../application/ports';
import {
  addDays,
  emptyPlan,
  openTaskCount,
  type FollowUpPlan,
  type PlannedCheckin,
} from '../domain/follow-up-plan';
import { followUpPlanModel, type FollowUpPlanDocument } from './follow-up-plan.model';

const iso = (value: Date | string | null | undefined): string | null =>
  value ? new Date(value).toISOString() : null;

/** The plan a stored document holds (older documents: checkins as a map, no status). */
export function toPlan(doc: FollowUpPlanDocument): FollowUpPlan {
  const base = emptyPlan(doc._id);
  const checkins: PlannedCheckin[] = Array.isArray(doc.checkins)
    ? doc.checkins
    : Object.values(doc.checkins ?? {}).map((c) => ({
        ...c,
        missAfter: c.missAfter ?? addDays(c.dueDate, doc.graceDays ?? base.graceDays),
        channel: c.channel ?? (c.respondent === 'coach' ? 'phone' : 'web-link'),
      }));
  return {
    placementId: doc._id,
    status: doc.status ?? (doc.startDate ? 'open' : 'awaiting-confirmation'),
    startDate: doc.startDate ?? null,
    endDate: doc.endDate ?? null,
    policyVersion: doc.policyVersion ?? null,
    graceDays: doc.graceDays ?? base.graceDays,
    checkins: checkins.map((c) => ({ ...c })),
    records: doc.records ?? [],
    scope: { ...(doc.scope ?? {}) },
    coachChangedAt: iso(doc.coachChangedAt),
    consents: doc.consents
      ? {
          followUp: doc.consents.followUp,
          employerContact: doc.consents.employerContact,
          reportingByCategory: doc.consents.reportingByCategory,
        }
      : null,
    consentsChangedAt: iso(doc.consentsChangedAt),
    terms: doc.terms ?? base.terms,
  };
}

/** The stored fields of a plan (all but its id and outbox). */
function fieldsOf(plan: FollowUpPlan) {
  return {
    status: plan.status,
    startDate: plan.startDate,
    endDate: plan.endDate,
    policyVersion: plan.policyVersion,
    graceDays: plan.graceDays,
    checkins: plan.checkins,
    records: plan.records,
    openTasks: openTaskCount(plan),
    scope: plan.scope,
    coachChangedAt: plan.coachChangedAt,
    consents: plan.consents,
    consentsChangedAt: plan.consentsChangedAt,
    terms: plan.terms,
  };
}

const MAX_ATTEMPTS = 20;

export function createFollowUpPlanRepository(
  db: Connection,
  locks: WriteLocks,
): FollowUpPlanRepository {
  const model = followUpPlanModel(db);
  // Native collection for the writes: each is exactly one single-document write, under the
  // document's write lock (see WriteLocks for why) and on the revision it was decided from.
  const plans = model.collection;

  const read = (placementId: string) =>
    plans.findOne<FollowUpPlanDocument>(
      { _id: placementId as never },
      { projection: { outbox: 0 } },
    );

  /** Writes `next` over revision `rev` (none: a new document); false if another write came first. */
  async function write(
    placementId: string,
    rev: number | null,
    next: FollowUpPlan,
    events: readonly Envelope[],
  ): Promise<boolean> {
    const now = new Date();
    if (rev === null) {
      try {
        await plans.insertOne({
          _id: placementId as never,
          rev: 1,
          ...fieldsOf(next),
          createdAt: now,
          updatedAt: now,
          outbox: toOutboxEntries(events),
        } as never);
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const result = await plans.updateOne(
      { _id: placementId as never, rev } as never,
      {
        $set: { ...fieldsOf(next), rev: rev + 1, updatedAt: now },
        ...(events.length > 0 ? { $push: outboxPush(events) as never } : {}),
      } as never,
    );
    return result.modifiedCount === 1;
  }

  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async find(placementId) {
      const doc = await read(placementId);
      return doc ? toPlan(doc) : null;
    },
    async mutate<T>(
      placementId: string,
      change: (plan: FollowUpPlan | null) => PlanChange<T>,
    ): Promise<{ result: T; plan: FollowUpPlan | null; written: boolean }> {
      return locks.run(plans.collectionName, placementId, async () => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const doc = await read(placementId);
          const plan = doc ? toPlan(doc) : null;
          const decided = change(plan);
          if (!decided.next) return { result: decided.result, plan, written: false };
          const rev = doc ? (doc.rev ?? 0) : null;
          if (doc && doc.rev === undefined) {
            // A document from before revisions: give it one first, then write on it.
            await plans.updateOne({ _id: placementId as never, rev: { $exists: false } } as never, {
              $set: { rev: 0 },
            });
          }
          if (await write(placementId, rev, decided.next, decided.events ?? [])) {
            return { result: decided.result, plan: decided.next, written: true };
          }
        }
        throw new Error(`plan ${placementId}: too many concurrent writes`);
      });
    },
    async listWithOpenTasks(query: TaskQuery) {
      const filter: Record<string, unknown> = { openTasks: { $gt: 0 } };
      if (query.scope.kind === 'none') return [];
      if (query.scope.kind === 'match')
        filter[`scope.${query.scope.field}`] = { $in: query.scope.anyOf };
      if (query.coachId) filter['scope.coachId'] = filterEq(filter['scope.coachId'], query.coachId);
      if (query.programmeId)
        filter['scope.programmeId'] = filterEq(filter['scope.programmeId'], query.programmeId);
      const docs = await plans
        .find<FollowUpPlanDocument>(filter as never, { projection: { outbox: 0, records: 0 } })
        .limit(query.limit)
        .toArray();
      return docs.map(toPlan);
    },
    async *openPlans(programmeId?: string) {
      // Plans stored before plans had a status are open if they have a start date (their next
      // write stores them in today's shape).
      const filter: Record<string, unknown> = {
        $or: [{ status: 'open' }, { status: { $exists: false }, startDate: { $exists: true } }],
      };
      if (programmeId) filter['scope.programmeId'] = programmeId;
      const cursor = plans.find<FollowUpPlanDocument>(filter as never, {
        projection: { outbox: 0, records: 0 },
      });
      for await (const doc of cursor) yield toPlan(doc);
    },
  };
}

/** Both conditions on one field: an equality inside an `$in` already there. */
function filterEq(existing: unknown, value: string): unknown {
  if (existing && typeof existing === 'object' && '$in' in existing) {
    const anyOf = (existing as { $in: string[] }).$in;
    return { $in: anyOf.includes(value) ? [value] : [] };
  }
  return value;
}
