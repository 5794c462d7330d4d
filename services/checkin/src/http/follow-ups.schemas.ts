import { z } from 'zod';
import {
  CheckinFlags,
  CoachAnswers,
  ConsentFlags,
  ContactType,
  Id,
  IsoDate,
  IsoDateTime,
  ParticipantAnswers,
  Respondent,
  SupervisorAnswers,
} from '@sanad/contracts';
import { IdempotencyKey } from '@sanad/service-kit';

/**
 * What the follow-up routes parse and answer, apart from the routes so that the route catalogue
 * (and the OpenAPI document made from it) can use the same schemas without an import cycle.
 */

export const PlacementIdParam = z.object({ placementId: Id });

/** `Idempotency-Key`: the same key with the same body answers the first result (200, not 201). */
export const IdempotencyHeader = z.object({
  'idempotency-key': IdempotencyKey.optional().meta({
    description:
      'Makes a retry safe: the same key with the same answers answers what the first request ' +
      'recorded (200 instead of 201); with other answers, 409.',
  }),
});

/** POST /placements/:placementId/checkins: a coach's contact and its answers. */
export const RecordCheckinBody = z
  .object({
    checkinId: Id.optional().meta({
      description: 'The planned check-in it answers; none for a contact outside the plan.',
    }),
    contactType: ContactType,
    twoWay: z.boolean().meta({ description: 'Only a two-way contact completes a check-in.' }),
    answers: CoachAnswers,
    notes: z
      .string()
      .trim()
      .max(4000)
      .optional()
      .meta({ description: "The coach's private notes: shown to programme staff only." }),
  })
  .strict();

/** GET /checkins/due: the check-ins waiting on someone, oldest first. */
export const DueQuery = z
  .object({
    coachId: Id.optional(),
    programmeId: Id.optional(),
    respondent: Respondent.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const Channel = z.enum(['visit', 'phone', 'message', 'web-link']);
const Score = z.number().min(0).max(100).nullable();

/** A recorded contact as it is shown: notes only to programme staff (see recordView). */
export const CheckinRecordView = z
  .object({
    recordId: Id,
    checkinId: Id.nullable().meta({
      description: 'The planned check-in it answers; null for a coach contact outside the plan.',
    }),
    milestoneDay: z.number().int().nullable(),
    respondent: Respondent,
    channel: Channel,
    twoWay: z.boolean(),
    recordedAt: IsoDateTime,
    recordedBy: z.enum(['coach', 'link']),
    answers: z
      .union([CoachAnswers, ParticipantAnswers, SupervisorAnswers])
      .meta({ description: "The answers as given: a coach's, a participant's or a supervisor's." }),
    scores: z.object({
      stability: Score,
      professionalAdaptation: Score,
      socialAdaptation: Score,
      satisfaction: Score,
    }),
    flags: CheckinFlags,
    hours: z.object({ lastWeek: z.number(), contracted: z.number() }).nullable(),
    notes: z.string().optional(),
  })
  .meta({ id: 'CheckinRecord' });

/** A planned check-in, with the job it waits on (none once settled). */
export const PlannedCheckinView = z
  .object({
    checkinId: Id,
    milestoneDay: z.number().int(),
    respondent: Respondent,
    dueDate: IsoDate,
    missAfter: IsoDate.meta({
      description: 'From the start of this day, a due check-in is missed.',
    }),
    channel: Channel,
    status: z.enum(['scheduled', 'due', 'completed', 'missed', 'skipped', 'cancelled']),
    skipReason: z.enum(['no-consent']).optional(),
    dueAt: IsoDateTime.optional(),
    completedAt: IsoDateTime.optional(),
    missedAt: IsoDateTime.optional(),
    daysOverdue: z.number().int().optional(),
    recordId: Id.optional().meta({ description: 'The record that completed it.' }),
    invitation: z
      .object({
        sent: z.boolean(),
        language: z.enum(['ar', 'en']).optional(),
        reason: z.string().optional(),
        at: IsoDateTime,
      })
      .optional()
      .meta({
        description: 'Participant and supervisor check-ins: whether their link was mailed.',
      }),
    job: z
      .object({
        id: z.string(),
        state: z.enum(['delayed', 'waiting', 'active', 'completed', 'failed', 'missing']),
      })
      .nullable(),
  })
  .meta({ id: 'PlannedCheckin' });

/** GET /placements/:placementId/follow-ups. */
export const FollowUpsView = z
  .object({
    placementId: Id,
    status: z.enum(['awaiting-confirmation', 'open', 'ended']),
    startDate: IsoDate.nullable(),
    endDate: IsoDate.nullable(),
    policyVersion: z.number().int().nullable(),
    consents: ConsentFlags.nullable().meta({
      description: "The participant's consents as this service knows them; null when not known.",
    }),
    checkins: z.array(PlannedCheckinView),
    records: z.array(CheckinRecordView).meta({ description: 'Answers recorded, newest first.' }),
  })
  .meta({ id: 'FollowUps' });

/** One check-in of the coach's task list. */
export const DueTaskView = z
  .object({
    placementId: Id,
    checkinId: Id,
    milestoneDay: z.number().int(),
    respondent: Respondent,
    dueDate: IsoDate,
    missAfter: IsoDate,
    status: z.enum(['due', 'missed']),
    daysOverdue: z.number().int().min(0),
  })
  .meta({ id: 'DueTask' });

/** POST /follow-ups/reconcile: what a reconcile of plans with jobs found and did. */
export const ReconcileReportView = z.object({
  plans: z.number().int().min(0),
  pending: z.number().int().min(0).meta({ description: 'Jobs the open plans wait on.' }),
  recreated: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Of those, the ones Redis had lost and that were made again.' }),
  invited: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Due check-ins whose invitation had not gone out, sent now.' }),
});
