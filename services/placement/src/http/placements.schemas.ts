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

/** GET /placements: the newest first, `limit` of them (1 to 100, 50 if not said). */
export const ListPlacementsQuery = z
  .object({
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().int().min(1).max(100))
      .default(50),
    status: z.enum(['recorded', 'confirmed', 'ended']).optional(),
    programmeId: Id.optional(),
  })
  .strict();
export type ListPlacementsQuery = z.infer<typeof ListPlacementsQuery>;
