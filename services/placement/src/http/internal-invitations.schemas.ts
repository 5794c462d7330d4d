import { z } from 'zod';

/** POST /internal/checkin-invitations: which check-in, whom to invite, and the link to send. */
export const CheckinInvitationBody = z
  .object({
    placementId: z.uuid(),
    checkinId: z.uuid(),
    respondent: z.enum(['participant', 'supervisor']),
    milestoneDay: z.number().int().min(1).max(730),
    url: z.url({ protocol: /^https?$/ }).max(2_048),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CheckinInvitationBody = z.infer<typeof CheckinInvitationBody>;

export const CheckinInvitationOutcomeView = z.union([
  z.object({ sent: z.literal(true), language: z.enum(['ar', 'en']) }),
  z.object({
    sent: z.literal(false),
    reason: z.enum([
      'no-consent',
      'no-contact',
      'placement-ended',
      'mail-not-configured',
      'mail-failed',
    ]),
  }),
]);
