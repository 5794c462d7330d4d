import {
  CheckinCompletedV1,
  CheckinDueV1,
  CheckinMissedV1,
  CheckinScheduledV1,
  createEvent,
  deterministicUuid,
  type EventContext,
} from '@sanad/contracts';
import type { CheckinRecord, FollowUpPlan, PlannedCheckin } from '../domain/follow-up-plan';

/**
 * The check-in events, each with an id made from what it announces, so the same fact announced
 * twice (a redelivered event, a job fired twice) is one event downstream. Ids and facts only:
 * never answers' free text, notes or names.
 */

export const contextOf = (correlationId: string, causationId: string | null): EventContext => ({
  producer: 'checkin',
  correlationId,
  causationId,
});

export const scheduledEvents = (
  plan: FollowUpPlan,
  checkins: readonly PlannedCheckin[],
  context: EventContext,
  now: Date,
) =>
  checkins.map((c) =>
    createEvent(
      CheckinScheduledV1,
      {
        placementId: plan.placementId,
        checkinId: c.checkinId,
        milestoneDay: c.milestoneDay,
        dueDate: c.dueDate,
        respondent: c.respondent,
      },
      context,
      now,
      // A check-in moved to another date is new news: the date is part of the id.
      deterministicUuid(`checkin.scheduled:${c.checkinId}:${c.dueDate}`),
    ),
  );

export const dueEvent = (plan: FollowUpPlan, c: PlannedCheckin, context: EventContext, now: Date) =>
  createEvent(
    CheckinDueV1,
    {
      placementId: plan.placementId,
      checkinId: c.checkinId,
      milestoneDay: c.milestoneDay,
      respondent: c.respondent,
      channel: c.channel,
    },
    context,
    now,
    deterministicUuid(`checkin.due:${c.checkinId}:${c.dueDate}`),
  );

export const missedEvent = (
  plan: FollowUpPlan,
  c: PlannedCheckin,
  context: EventContext,
  now: Date,
) =>
  createEvent(
    CheckinMissedV1,
    {
      placementId: plan.placementId,
      checkinId: c.checkinId,
      milestoneDay: c.milestoneDay,
      respondent: c.respondent,
      dueDate: c.dueDate,
      daysOverdue: c.daysOverdue ?? 0,
    },
    context,
    now,
    deterministicUuid(`checkin.missed:${c.checkinId}:${c.dueDate}`),
  );

export const completedEvent = (
  plan: FollowUpPlan,
  record: CheckinRecord,
  context: EventContext,
  now: Date,
) =>
  createEvent(
    CheckinCompletedV1,
    {
      placementId: plan.placementId,
      // A contact outside the plan has no planned check-in: it is known by its record.
      checkinId: record.checkinId ?? record.recordId,
      milestoneDay: record.milestoneDay,
      respondent: record.respondent,
      channel: record.channel,
      twoWay: record.twoWay,
      completedAt: record.recordedAt,
      scores: record.scores,
      flags: record.flags,
      hours: record.hours,
    },
    context,
    now,
    deterministicUuid(`checkin.completed:${record.recordId}`),
  );
