import { Schema, type Connection } from 'mongoose';
import type { OutboxEntry } from '@sanad/messaging';
import type {
  CheckinRecord,
  KnownTerms,
  PlannedCheckin,
  PlanStatus,
} from '../domain/follow-up-plan';

/**
 * One document per placement: the whole follow-up plan (check-ins, answers, what is known of the
 * placement) and its outbox, so every change and the events it causes are one single-document
 * write, which every MongoDB-compatible server makes atomically. `rev` rises by one on each write:
 * a write lands only on the revision it was decided from.
 */
export interface FollowUpPlanDocument {
  _id: string;
  rev?: number;
  status?: PlanStatus;
  startDate?: string | null;
  endDate?: string | null;
  policyVersion?: number | null;
  graceDays?: number;
  /** An array; documents written before plans had statuses hold a map keyed by slot. */
  checkins?: PlannedCheckin[] | Record<string, PlannedCheckin>;
  records?: CheckinRecord[];
  /** Check-ins due or missed, unanswered: the coach's task list reads plans that have some. */
  openTasks?: number;
  scope?: { coachId?: string; employerId?: string; programmeId?: string };
  coachChangedAt?: Date | string | null;
  consents?: { followUp: boolean; employerContact: boolean; reportingByCategory: boolean } | null;
  consentsChangedAt?: Date | string | null;
  terms?: KnownTerms;
  createdAt?: Date;
  updatedAt?: Date;
  outbox: OutboxEntry[];
}

const FollowUpPlanSchema = new Schema<FollowUpPlanDocument>(
  {
    _id: { type: String, required: true },
    rev: { type: Number },
    status: { type: String },
    startDate: { type: String },
    checkins: { type: Schema.Types.Mixed },
    records: { type: [Schema.Types.Mixed] as never },
    openTasks: { type: Number },
    scope: { type: Schema.Types.Mixed },
    consents: { type: Schema.Types.Mixed },
    terms: { type: Schema.Types.Mixed },
    outbox: { type: [Schema.Types.Mixed] as never, default: [] },
  },
  { collection: 'follow_up_plans', versionKey: false, minimize: false, strict: false },
);
FollowUpPlanSchema.index({ status: 1 });
FollowUpPlanSchema.index({ openTasks: 1 });

export const followUpPlanModel = (db: Connection) =>
  db.models.FollowUpPlan ?? db.model<FollowUpPlanDocument>('FollowUpPlan', FollowUpPlanSchema);
