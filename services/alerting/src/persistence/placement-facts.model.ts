import { Schema, type Connection } from 'mongoose';

export interface PlacementFactsDocument {
  _id: string;
  programmeId?: string;
  coachId?: string;
  employerId?: string;
  /** When the coach was last moved (placement.changed); absent while it is the recorded one. */
  coachChangedAt?: Date;
  startDate?: string;
  contractedHoursPerWeek?: number;
  status?: 'recorded' | 'confirmed' | 'ended';
  endDate?: string;
  scheduledCheckinIds: string[];
  lastEventId: string;
  updatedAt: Date;
}

const PlacementFactsSchema = new Schema<PlacementFactsDocument>(
  {
    _id: { type: String, required: true },
    programmeId: { type: String, index: true },
    coachId: { type: String, index: true },
    employerId: { type: String, index: true },
    coachChangedAt: Date,
    startDate: String,
    contractedHoursPerWeek: Number,
    status: { type: String, enum: ['recorded', 'confirmed', 'ended'] },
    endDate: String,
    scheduledCheckinIds: { type: [String], default: [] },
    lastEventId: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'placement_facts', versionKey: false },
);

export const placementFactsModel = (db: Connection) =>
  db.model<PlacementFactsDocument>('PlacementFacts', PlacementFactsSchema);
