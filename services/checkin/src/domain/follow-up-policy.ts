import { z } from 'zod';
import { CONTACT_TYPES, Respondent } from '@sanad/contracts';

export { CONTACT_TYPES, type ContactType } from '@sanad/contracts';

/**
 * A programme's follow-up policy: at which days after the start a check-in is due and who answers
 * it, how long an unanswered check-in may wait before it counts as missed, and how each respondent
 * is reached. Admins edit it; a change applies to plans made after it, and to open plans on request.
 */
export const MILESTONE_DAY_MAX = 730;

const Milestone = z
  .object({
    day: z.number().int().min(1).max(MILESTONE_DAY_MAX),
    respondents: z
      .array(Respondent)
      .min(1)
      .max(3)
      .refine((r) => new Set(r).size === r.length, { message: 'each respondent once' }),
  })
  .strict();

/** The editable part of a policy, as an admin sends it. */
export const FollowUpPolicyRules = z
  .object({
    milestones: z
      .array(Milestone)
      .min(1)
      .max(20)
      .superRefine((milestones, ctx) => {
        milestones.forEach((m, i) => {
          const previous = milestones[i - 1];
          if (previous && m.day <= previous.day) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'day'],
              message: 'days must be in ascending order, each once',
              params: { code: 'milestone-order' },
            });
          }
        });
      }),
    graceDays: z.number().int().min(1).max(60),
    channels: z
      .object({
        coach: z
          .array(z.enum(CONTACT_TYPES))
          .min(1)
          .max(3)
          .refine((c) => new Set(c).size === c.length, { message: 'each channel once' }),
        participant: z.array(z.literal('email')).length(1).default(['email']),
        supervisor: z.array(z.literal('email')).length(1).default(['email']),
      })
      .strict(),
  })
  .strict();
export type FollowUpPolicy = z.infer<typeof FollowUpPolicyRules>;

/**
 * Common supported-employment practice: contact at days 7, 14, 30, 60, 90, 180 and 365, by the coach
 * and the participant; the employer's supervisor is asked at days 30 and 90. A week's grace.
 */
export const DEFAULT_POLICY: FollowUpPolicy = {
  milestones: [7, 14, 30, 60, 90, 180, 365].map((day) => ({
    day,
    respondents:
      day === 30 || day === 90 ? ['coach', 'participant', 'supervisor'] : ['coach', 'participant'],
  })),
  graceDays: 7,
  channels: { coach: ['visit', 'phone', 'message'], participant: ['email'], supervisor: ['email'] },
};

/** How a due check-in reaches its respondent, as checkin.due says it. */
export function dueChannelOf(
  respondent: Respondent,
  policy: Pick<FollowUpPolicy, 'channels'>,
): 'visit' | 'phone' | 'message' | 'web-link' {
  return respondent === 'coach' ? (policy.channels.coach[0] ?? 'phone') : 'web-link';
}
