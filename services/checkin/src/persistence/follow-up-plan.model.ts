import { Schema, type Connection } from 'mongoose';
import type { OutboxEntry } from '@sanad/messaging';
import type { PlannedStatus } from '../domain/follow-up-plan';

/**
 * One document per placement. Check-ins are kept in a map keyed by slot (`d30-supervisor`), so a
 * single check-in changes with one dotted-path update, which every MongoDB-compatible server does.
 */
export interface FollowUpPlanDocument {
  _id: string;
  startDate: string;
  checkins: Record<
    string,
    {
      checkinId: string;
      milestoneDay: number;
      respondent: 'coach' | 'participant' | 'supervisor';
      dueDate: string;
      status: PlannedStatus;
      dueAt?: Date;
    }
  >;
  createdAt: Date;
  /** From placement.recorded; missing until it has been seen. */
  scope?: { coachId: string; employerId: string; programmeId: string };
  outbox: OutboxEntry[];
}

const FollowUpPlanSchema = new Schema<FollowUpPlanDocument>(
  {
    _id: { type: String, required: true },
    startDate: { type: String, required: true },
    checkins: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    scope: { type: Schema.Types.Mixed },
    outbox: { type: [Schema.Types.Mixed] as never, default: [] },
  },
  { collection: 'follow_up_plans', versionKey: false, minimize: false },
);

export const followUpPlanModel = (db: Connection) =>
  db.model<FollowUpPlanDocument>('FollowUpPlan', FollowUpPlanSchema);
