import { Schema, type Connection } from 'mongoose';
import type { OutboxEntry } from '@sanad/messaging';
import type {
  ConsentPurpose,
  DisabilityCategory,
  Language,
  ParticipantStatus,
} from '../domain/participant';

export const PARTICIPANTS_COLLECTION = 'participants';

/**
 * The participant as stored. A field that is absent from the domain object is absent here too (not
 * null): pseudonymisation and erasure remove fields, they do not blank them.
 *
 * `outbox` holds placement.consent-changed events, and placement.changed events of a move to
 * another coach, waiting to be moved into their placements' outboxes (by the participant outbox
 * relay), not events for the broker.
 */
export interface ParticipantDocument {
  _id: string;
  code: string;
  status: ParticipantStatus;
  programmeId: string;
  coachId: string;
  fullName?: string;
  phone?: string;
  email?: string;
  preferredLanguage?: Language;
  disabilityCategory?: DisabilityCategory;
  accommodationNeeds?: string;
  consents?: Record<ConsentPurpose, { granted: boolean; changedAt: Date; changedBy: string }>;
  version: number;
  createdAt?: Date;
  updatedAt?: Date;
  pseudonymisedAt?: Date;
  erasedAt?: Date;
  outbox: OutboxEntry[];
}

/** Writes go through the native collection; the schema is here for its indexes. */
const ParticipantSchema = new Schema<ParticipantDocument>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true, unique: true },
    status: { type: String, required: true },
    programmeId: { type: String, required: true },
    coachId: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date },
    outbox: { type: [Schema.Types.Mixed] as never, default: [] },
  },
  { collection: PARTICIPANTS_COLLECTION, versionKey: false, strict: false, autoIndex: false },
);

// Lists are the newest first within what a caller may see: by coach or programme.
for (const field of ['coachId', 'programmeId'] as const) {
  ParticipantSchema.index({ [field]: 1, createdAt: -1 });
}
ParticipantSchema.index({ createdAt: -1 });

export const participantModel = (db: Connection) =>
  db.model<ParticipantDocument>('Participant', ParticipantSchema);
