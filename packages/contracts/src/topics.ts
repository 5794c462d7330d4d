/**
 * Topic and queue names live here and nowhere else. They are never renamed: a new name is a new
 * topic or queue, introduced beside the old one.
 */
export const Topics = {
  placement: 'placement.events',
  checkin: 'checkin.events',
  alert: 'alert.events',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Messages that fail their schema or keep failing go to `<topic>.dlq`. */
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

export const Queues = {
  followUpDue: 'checkin-follow-up-due',
  /** One repeatable job: compares plans with jobs and makes again what Redis lost. */
  followUpReconcile: 'checkin-follow-up-reconcile',
} as const;
export type Queue = (typeof Queues)[keyof typeof Queues];

/** Consumer group names, one per consuming service and purpose. */
export const ConsumerGroups = {
  checkinPlacements: 'checkin.placement-events',
  checkinPlacementConsents: 'checkin.placement-consents',
  alertingPlacements: 'alerting.placement-events',
  alertingCheckins: 'alerting.checkin-events',
} as const;
