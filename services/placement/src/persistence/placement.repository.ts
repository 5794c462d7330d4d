import type { Connection, RootFilterQuery } from 'mongoose';
import { isDuplicateKeyError, toOutboxEntries, type WriteLocks } from '@sanad/messaging';
import type { PlacementRepository } from '../application/ports';
import type { Placement } from '../domain/placement';
import { decodeCursor, encodeCursor } from './list-cursor';
import { PLACEMENTS, placementModel, type PlacementDocument } from './placement.model';

function toPlacement(doc: PlacementDocument): Placement {
  return {
    id: doc._id,
    participantId: doc.participantId,
    employerId: doc.employerId,
    programmeId: doc.programmeId,
    coachId: doc.coachId,
    terms: {
      jobTitle: doc.terms.jobTitle,
      startDate: doc.terms.startDate,
      hoursPerWeek: doc.terms.hoursPerWeek,
      wage: {
        amount: doc.terms.wage.amount,
        currency: doc.terms.wage.currency,
        period: doc.terms.wage.period,
      },
    },
    supervisorId: doc.supervisorId ?? null,
    accommodations: [...(doc.accommodations ?? [])],
    status: doc.status,
    version: doc.version,
    recordedAt: new Date(doc.recordedAt).toISOString(),
    confirmedAt: doc.confirmedAt ? new Date(doc.confirmedAt).toISOString() : null,
    ending: doc.ending
      ? {
          endDate: doc.ending.endDate,
          reason: doc.ending.reason,
          initiatedBy: doc.ending.initiatedBy,
        }
      : null,
    commandKeys: [...(doc.commandKeys ?? [])],
  };
}

/** The stored fields of a placement (all but its id and outbox). */
const fieldsOf = (placement: Placement) => ({
  participantId: placement.participantId,
  employerId: placement.employerId,
  programmeId: placement.programmeId,
  coachId: placement.coachId,
  terms: placement.terms,
  supervisorId: placement.supervisorId,
  accommodations: placement.accommodations,
  status: placement.status,
  version: placement.version,
  recordedAt: new Date(placement.recordedAt),
  confirmedAt: placement.confirmedAt ? new Date(placement.confirmedAt) : null,
  ending: placement.ending,
  commandKeys: placement.commandKeys,
});

export function createPlacementRepository(db: Connection, locks: WriteLocks): PlacementRepository {
  const Placements = placementModel(db);
  return {
    async insert(placement, events) {
      try {
        await Placements.create({
          _id: placement.id,
          ...fieldsOf(placement),
          outbox: toOutboxEntries(events),
        });
        return 'inserted';
      } catch (error) {
        if (isDuplicateKeyError(error)) return 'exists';
        throw error;
      }
    },
    async update(placement, expectedVersion, events) {
      // Under the write lock (FerretDB 1.x), and only if nobody wrote since the decision was read.
      return locks.run(PLACEMENTS, placement.id, async () => {
        const { _id, ...fields } = { _id: placement.id, ...fieldsOf(placement) };
        const result = await Placements.collection.updateOne(
          { _id: _id as never, version: expectedVersion },
          { $set: fields, $push: { outbox: { $each: toOutboxEntries(events) } } } as never,
        );
        return result.matchedCount === 1 ? 'updated' : 'stale';
      });
    },
    async findById(id) {
      const doc = await Placements.findById(id, { outbox: 0 }).lean<PlacementDocument>();
      return doc ? toPlacement(doc) : null;
    },
    async ofParticipant(participantId) {
      const docs = await Placements.find({ participantId }, { outbox: 0 })
        .sort({ recordedAt: 1, _id: 1 })
        .lean<PlacementDocument[]>();
      return docs.map(toPlacement);
    },
    async activeIdsOf(participantId) {
      const docs = await Placements.find(
        { participantId, status: { $ne: 'ended' } },
        { _id: 1 },
      ).lean<Pick<PlacementDocument, '_id'>[]>();
      return docs.map((d) => d._id);
    },
    async list(query) {
      const { visible, limit } = query;
      if (visible.kind === 'none') return { placements: [], nextCursor: null };
      const conditions: RootFilterQuery<PlacementDocument>[] = [];
      if (visible.kind === 'match') conditions.push({ [visible.field]: { $in: visible.anyOf } });
      for (const field of [
        'status',
        'programmeId',
        'participantId',
        'coachId',
        'employerId',
      ] as const) {
        const value = query[field];
        if (value) conditions.push({ [field]: value });
      }
      if (query.startFrom) conditions.push({ 'terms.startDate': { $gte: query.startFrom } });
      if (query.startTo) conditions.push({ 'terms.startDate': { $lte: query.startTo } });
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (after) {
        // the next page: older than the last one shown, or as old with a greater id
        const at = new Date(after.recordedAt);
        conditions.push({
          $or: [{ recordedAt: { $lt: at } }, { recordedAt: at, _id: { $gt: after.id } }],
        });
      }
      const filter = conditions.length <= 1 ? (conditions[0] ?? {}) : { $and: conditions };
      // one more than asked, to know whether there is a next page
      const docs = await Placements.find(filter, { outbox: 0 })
        .sort({ recordedAt: -1, _id: 1 })
        .limit(limit + 1)
        .lean<PlacementDocument[]>();
      const page = docs.slice(0, limit).map(toPlacement);
      const last = page[page.length - 1];
      return {
        placements: page,
        nextCursor: docs.length > limit && last ? encodeCursor(last) : null,
      };
    },
  };
}
