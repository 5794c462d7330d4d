import { z } from 'zod';
import { Id, IsoDateTime, Severity } from '../common';
import { defineEvent, type EventOf } from '../envelope';
import { Topics } from '../topics';

const AlertRef = { alertId: Id, placementId: Id };

export const AlertRaisedV1 = defineEvent({
  type: 'alert.raised',
  version: 1,
  topic: Topics.alert,
  summary: 'A risk rule fired: rule, severity, risk score and the events that are its evidence.',
  data: z
    .object({
      ...AlertRef,
      ruleId: z.string().regex(/^[a-z0-9-]+$/),
      ruleVersion: z.number().int().min(1),
      severity: Severity,
      riskScore: z.number().int().min(0).max(100),
      evidenceEventIds: z.array(Id).min(1),
    })
    .strict(),
});
export type AlertRaisedV1 = EventOf<typeof AlertRaisedV1>;

export const AlertAcknowledgedV1 = defineEvent({
  type: 'alert.acknowledged',
  version: 1,
  topic: Topics.alert,
  summary: 'A coach acknowledged the alert.',
  data: z.object({ ...AlertRef, by: Id, at: IsoDateTime }).strict(),
});
export type AlertAcknowledgedV1 = EventOf<typeof AlertAcknowledgedV1>;

export const AlertOutcome = z.enum([
  'issue-addressed',
  'accommodation-arranged',
  'employer-contacted',
  'referred',
  'no-action-needed',
  'placement-ended',
]);

export const AlertResolvedV1 = defineEvent({
  type: 'alert.resolved',
  version: 1,
  topic: Topics.alert,
  summary: 'The alert was resolved with an outcome.',
  data: z.object({ ...AlertRef, by: Id, at: IsoDateTime, outcome: AlertOutcome }).strict(),
});
export type AlertResolvedV1 = EventOf<typeof AlertResolvedV1>;

export const AlertDismissedV1 = defineEvent({
  type: 'alert.dismissed',
  version: 1,
  topic: Topics.alert,
  summary: 'The alert was dismissed with a reason.',
  data: z
    .object({
      ...AlertRef,
      by: Id,
      at: IsoDateTime,
      reason: z.enum(['false-positive', 'duplicate', 'already-handled', 'other']),
    })
    .strict(),
});
export type AlertDismissedV1 = EventOf<typeof AlertDismissedV1>;

export const AlertEscalatedV1 = defineEvent({
  type: 'alert.escalated',
  version: 1,
  topic: Topics.alert,
  summary: 'An unacknowledged alert was escalated to the programme manager.',
  data: z
    .object({
      ...AlertRef,
      at: IsoDateTime,
      severity: Severity,
      toRole: z.literal('programme-manager'),
      unacknowledgedForHours: z.number().min(0),
    })
    .strict(),
});
export type AlertEscalatedV1 = EventOf<typeof AlertEscalatedV1>;

export const AlertEventDefinitions = [
  AlertRaisedV1,
  AlertAcknowledgedV1,
  AlertResolvedV1,
  AlertDismissedV1,
  AlertEscalatedV1,
] as const;
