import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, ParticipantAnswers, SupervisorAnswers } from '@sanad/contracts';
import { LinkSecret } from '@sanad/service-kit';

/** What the signed-link routes parse and answer, apart from the routes (see follow-ups.schemas.ts). */

/** `X-Link-Secret`: the secret of a signed check-in link (from the mailed URL), never in a path. */
export const LinkSecretHeader = z.object({
  'x-link-secret': LinkSecret.meta({
    description: 'The secret part of the link the participant or supervisor received by mail.',
  }),
});

/**
 * POST /checkin-link/answers. The link decides whose answers they are: a participant's link takes
 * ParticipantAnswers only, a supervisor's SupervisorAnswers only (400 naming `answers` otherwise).
 */
export const LinkAnswersBody = z.object({
  answers: z.union([ParticipantAnswers, SupervisorAnswers]),
});

/** What a check-in link's form shows. */
export const OpenedCheckinLinkView = z.object({
  respondent: z.enum(['participant', 'supervisor']),
  milestoneDay: z.number().int(),
  dueDate: IsoDate,
  expiresAt: IsoDateTime,
  language: z.enum(['ar', 'en']).nullable().meta({
    description: 'The language its mail was written in; null when none was sent.',
  }),
  jobTitle: z.string().nullable(),
  status: z.enum(['open', 'completed']),
});

/** The answers recorded through a link. */
export const LinkAnswerView = z.object({ recordId: Id, recordedAt: IsoDateTime });
