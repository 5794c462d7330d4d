import { Schema, type Connection } from 'mongoose';
import type { OutboxEntry } from '@sanad/messaging';
import type { SkipReason } from '../domain/consent';
import type { PlannedStatus } from '../domain/follow-up-plan';

/**
 * One document per placement. Check-ins are kept in a map keyed by slot (`d30-supervisor`), so a
 * single check-in changes with one dotted-path update, which every MongoDB-compatible server does.
 */
export interface FollowUpPlanDocument {
  _id: string;
  /** Missing only on a stub: consents that arrived before the placement's plan was made. */
  startDate?: string;
  checkins?: Record<
    string,
    {
      checkinId: string;
      milestoneDay: number;
      respondent: 'coach' | 'participant' | 'supervisor';
      dueDate: string;
      status: PlannedStatus;
      dueAt?: Date;
      skippedAt?: Date;
      skipReason?: SkipReason;
    }
  >;
  createdAt?: Date;
  /**
   * From placement.recorded, its coach moved by placement.changed; missing until one of them has
   * been seen, and only a coach (not yet a whole scope) when a coach change came first.
   */
  scope?: { coachId: string; employerId?: string; programmeId?: string };
  /** When the coach kept in the scope was decided (from placement.changed; absent from recorded). */
  coachChangedAt?: Date;
  /** From placement.recorded or placement.consent-changed; missing while not known. */
  consents?: { followUp: boolean; employerContact: boolean; reportingByCategory: boolean };
  /** When the stored consents changed (from placement.consent-changed; absent from recorded). */
  consentsChangedAt?: Date;
  outbox: OutboxEntry[];
}

const FollowUpPlanSchema = new Schema<FollowUpPlanDocument>(
  {
    _id: { type: String, required: true },
    startDate: { type: String, required: true },
    checkins: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    scope: { type: Schema.Types.Mixed },
    consents: { type: Schema.Types.Mixed },
    consentsChangedAt: { type: Date },
    coachChangedAt: { type: Date },
    outbox: { type: [Schema.Types.Mixed] as never, default: [] },
  },
  { collection: 'follow_up_plans', versionKey: false, minimize: false },
);

export const followUpPlanModel = (db: Connection) =>
  db.model<FollowUpPlanDocument>('FollowUpPlan', FollowUpPlanSchema);
