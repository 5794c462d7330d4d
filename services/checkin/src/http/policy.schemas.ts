import { z } from 'zod';
import { Id, IsoDateTime } from '@sanad/contracts';
import { FollowUpPolicyRules } from '../domain/follow-up-policy';

/** What the policy routes parse and answer, apart from the routes (see follow-ups.schemas.ts). */

export const ProgrammeIdParam = z.object({ programmeId: Id });

/** PUT /programmes/:programmeId/follow-up-policy: the rules, decided on `version`. */
export const PutPolicyBody = FollowUpPolicyRules.extend({
  version: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'The version read before (0: the default policy).' }),
  replanOpen: z
    .boolean()
    .default(false)
    .meta({ description: 'Re-plan the open plans of the programme with the new policy.' }),
}).strict();

/** A programme's policy as the API shows it (version 0: the default, never saved). */
export const PolicyView = FollowUpPolicyRules.extend({
  programmeId: Id,
  version: z.number().int().min(0),
  updatedAt: IsoDateTime.nullable(),
}).meta({ id: 'FollowUpPolicy' });

/** What PUT answers: the policy saved and how many open plans were re-planned. */
export const SavedPolicyView = z.object({
  policy: PolicyView,
  replanned: z.number().int().min(0),
});
