import type { Connection } from 'mongoose';
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
  };
}
