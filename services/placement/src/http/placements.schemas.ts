import { z } from 'zod';
import { Id, PlacementTerms } from '@sanad/contracts';

/** POST /placements: a coach records a placement. Unknown fields are refused, not ignored. */
export const RecordPlacementBody = PlacementTerms.extend({
  participantId: Id,
  employerId: Id,
  programmeId: Id,
  coachId: Id,
}).strict();
export type RecordPlacementBody = z.infer<typeof RecordPlacementBody>;

export const PlacementIdParam = z.object({ placementId: Id });

export const IdempotencyKey = z
  .string()
  .min(8, 'at least 8 characters')
  .max(128)
  .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');
