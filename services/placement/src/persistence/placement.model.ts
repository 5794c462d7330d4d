import { Schema, type Connection } from 'mongoose';
import type { OutboxEntry } from '@sanad/messaging';
import type { AccommodationCode } from '@sanad/contracts';
import type { PlacementEnding, PlacementStatus } from '../domain/placement';

export const PLACEMENTS = 'placements';

/** The placement as stored, with the events it has not yet published (its outbox). */
export interface PlacementDocument {
  _id: string;
  participantId: string;
  employerId: string;
  programmeId: string;
  coachId: string;
  terms: {
    jobTitle: string;
    startDate: string;
    hoursPerWeek: number;
    wage: { amount: number; currency: string; period: 'hour' | 'week' | 'month' };
  };
  supervisorId?: string | null;
  accommodations?: AccommodationCode[];
  status: PlacementStatus;
  version: number;
  recordedAt: Date;
  confirmedAt?: Date | null;
  ending?: PlacementEnding | null;
  /** Idempotency-Keys of the changes made (see Placement.commandKeys). */
  commandKeys?: string[];
  outbox: OutboxEntry[];
}

const PlacementSchema = new Schema<PlacementDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true, index: true },
    employerId: { type: String, required: true },
    programmeId: { type: String, required: true },
    coachId: { type: String, required: true },
    terms: {
      jobTitle: { type: String, required: true },
      startDate: { type: String, required: true },
      hoursPerWeek: { type: Number, required: true },
      wage: {
        amount: { type: Number, required: true },
        currency: { type: String, required: true },
        period: { type: String, required: true },
      },
    },
    supervisorId: { type: String, default: null },
    accommodations: { type: [String], default: [] },
    status: { type: String, required: true, enum: ['recorded', 'confirmed', 'ended'] },
    version: { type: Number, required: true },
    recordedAt: { type: Date, required: true },
    confirmedAt: { type: Date, default: null },
    ending: {
      type: new Schema(
        {
          endDate: { type: String, required: true },
          reason: { type: String, required: true },
          initiatedBy: { type: String, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    commandKeys: { type: [String], default: [] },
    outbox: { type: [Schema.Types.Mixed] as never, default: [] },
  },
  { collection: PLACEMENTS, versionKey: false, strict: 'throw' },
);

// Lists are the newest first within what a caller may see: by coach, employer or programme.
for (const field of ['coachId', 'employerId', 'programmeId'] as const) {
  PlacementSchema.index({ [field]: 1, recordedAt: -1 });
}
PlacementSchema.index({ recordedAt: -1 });

export const placementModel = (db: Connection) =>
  db.model<PlacementDocument>('Placement', PlacementSchema);
