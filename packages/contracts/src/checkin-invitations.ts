import { z } from 'zod';
import { Id, IsoDateTime } from './common';

/**
 * The one call between services that is not an event: the check-in service, which holds no names
 * or addresses, asks the placement service (POST /internal/checkin-invitations) to mail a check-in's
 * signed link to the participant or their supervisor. Both sides parse with these schemas.
 */
export const CheckinInvitationRequest = z
  .object({
    placementId: Id,
    checkinId: Id,
    respondent: z.enum(['participant', 'supervisor']),
    milestoneDay: z.number().int().min(1).max(730),
    /** The signed link to the check-in form; a secret, never logged. */
    url: z.url({ protocol: /^https?$/ }).max(2_048),
    /** Until when the link works. */
    expiresAt: IsoDateTime,
  })
  .strict();
export type CheckinInvitationRequest = z.infer<typeof CheckinInvitationRequest>;

export const INVITATION_NOT_SENT_REASONS = [
  'no-consent',
  'no-contact',
  'placement-ended',
  'mail-not-configured',
  'mail-failed',
] as const;
export type InvitationNotSentReason = (typeof INVITATION_NOT_SENT_REASONS)[number];

/** Sent (in the person's language), or why not: the check-in service records it on the check-in. */
export const CheckinInvitationOutcome = z.union([
  z.object({ sent: z.literal(true), language: z.enum(['ar', 'en']) }).strict(),
  z.object({ sent: z.literal(false), reason: z.enum(INVITATION_NOT_SENT_REASONS) }).strict(),
]);
export type CheckinInvitationOutcome = z.infer<typeof CheckinInvitationOutcome>;
