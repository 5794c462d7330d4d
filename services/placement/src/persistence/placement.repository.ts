import type { Connection, RootFilterQuery } from 'mongoose';
import { isDuplicateKeyError, toOutboxEntries } from '@sanad/messaging';
import type { PlacementRepository } from '../application/ports';
import type { Placement } from '../domain/placement';
import { placementModel, type PlacementDocument } from './placement.model';

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
    status: doc.status,
    version: doc.version,
    recordedAt: new Date(doc.recordedAt).toISOString(),
  };
}

export function createPlacementRepository(db: Connection): PlacementRepository {
  const Placements = placementModel(db);
  return {
    async insert(placement, events) {
      try {
        await Placements.create({
          _id: placement.id,
          participantId: placement.participantId,
          employerId: placement.employerId,
          programmeId: placement.programmeId,
          coachId: placement.coachId,
          terms: placement.terms,
          status: placement.status,
          version: placement.version,
          recordedAt: new Date(placement.recordedAt),
          outbox: toOutboxEntries(events),
        });
        return 'inserted';
      } catch (error) {
        if (isDuplicateKeyError(error)) return 'exists';
        throw error;
      }
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
    async list({ visible, status, programmeId, participantId, limit }) {
      if (visible.kind === 'none') return [];
      const conditions: RootFilterQuery<PlacementDocument>[] = [];
      if (visible.kind === 'match') conditions.push({ [visible.field]: { $in: visible.anyOf } });
      if (status) conditions.push({ status });
      if (programmeId) conditions.push({ programmeId });
      if (participantId) conditions.push({ participantId });
      const filter = conditions.length <= 1 ? (conditions[0] ?? {}) : { $and: conditions };
      const docs = await Placements.find(filter, { outbox: 0 })
        .sort({ recordedAt: -1, _id: 1 })
        .limit(limit)
        .lean<PlacementDocument[]>();
      return docs.map(toPlacement);
    },
  };
}
