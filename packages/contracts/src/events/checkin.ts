import { z } from 'zod';
import { Channel, Id, IsoDate, IsoDateTime, MilestoneDay, Respondent } from '../common';
import { defineEvent, type EventOf } from '../envelope';
import { Topics } from '../topics';

const Score = z.number().int().min(0).max(100);

export const CheckinScheduledV1 = defineEvent({
  type: 'checkin.scheduled',
  version: 1,
  topic: Topics.checkin,
  summary: 'A follow-up check-in was planned for a milestone.',
  data: z
    .object({
      placementId: Id,
      checkinId: Id,
      milestoneDay: MilestoneDay,
      dueDate: IsoDate,
      respondent: Respondent,
    })
    .strict(),
});
export type CheckinScheduledV1 = EventOf<typeof CheckinScheduledV1>;

export const CheckinDueV1 = defineEvent({
  type: 'checkin.due',
  version: 1,
  topic: Topics.checkin,
  summary: 'A check-in fell due: a task for the coach or a signed link to the respondent.',
  data: z
    .object({
      placementId: Id,
      checkinId: Id,
      milestoneDay: MilestoneDay,
      respondent: Respondent,
      channel: Channel,
    })
    .strict(),
});
export type CheckinDueV1 = EventOf<typeof CheckinDueV1>;

export const CheckinFlags = z
  .object({
    hoursCut: z.boolean(),
    absences: z.boolean(),
    accommodationMissing: z.boolean(),
    transportProblem: z.boolean(),
    supervisorConcern: z.boolean(),
    lowWellbeing: z.boolean(),
  })
  .strict();
export type CheckinFlags = z.infer<typeof CheckinFlags>;

export const CheckinCompletedV1 = defineEvent({
  type: 'checkin.completed',
  version: 1,
  topic: Topics.checkin,
  summary: 'Answers were recorded: dimension scores 0-100 and warning flags, never free text.',
  data: z
    .object({
      placementId: Id,
      checkinId: Id,
      milestoneDay: MilestoneDay.nullable(),
      respondent: Respondent,
      channel: Channel,
      twoWay: z.boolean(),
      completedAt: IsoDateTime,
      scores: z
        .object({
          stability: Score.nullable(),
          professionalAdaptation: Score.nullable(),
          socialAdaptation: Score.nullable(),
          satisfaction: Score.nullable(),
        })
        .strict(),
      flags: CheckinFlags,
      /**
       * Hours worked in the last week against the contracted hours, when both are known (added
       * later in v1: optional, so older events and consumers stay valid).
       */
      hours: z
        .object({ lastWeek: z.number().min(0).max(80), contracted: z.number().min(1).max(80) })
        .strict()
        .nullable()
        .optional(),
    })
    .strict(),
});
export type CheckinCompletedV1 = EventOf<typeof CheckinCompletedV1>;

export const CheckinMissedV1 = defineEvent({
  type: 'checkin.missed',
  version: 1,
  topic: Topics.checkin,
  summary: 'The grace period passed with no two-way answer.',
  data: z
    .object({
      placementId: Id,
      checkinId: Id,
      milestoneDay: MilestoneDay,
      respondent: Respondent,
      dueDate: IsoDate,
      daysOverdue: z.number().int().min(0),
    })
    .strict(),
});
export type CheckinMissedV1 = EventOf<typeof CheckinMissedV1>;

export const CheckinEventDefinitions = [
  CheckinScheduledV1,
  CheckinDueV1,
  CheckinCompletedV1,
  CheckinMissedV1,
] as const;
