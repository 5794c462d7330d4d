import { z } from 'zod';
import { Id, IsoDateTime, PlacementTerms } from '@sanad/contracts';

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

/** `Idempotency-Key`: the same key with the same body answers the first result (200, not 201). */
export const IdempotencyHeader = z.object({
  'idempotency-key': IdempotencyKey.optional().meta({
    description:
      'Makes a retry safe: the same key with the same body answers what the first request made ' +
      '(200 instead of 201); with another body, 409.',
  }),
});

/** How many a list answers, newest first: 1 to 100, 50 if not said (a query string). */
export const ListLimit = z
  .string()
  .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1).max(100))
  .default(50)
  .meta({ description: 'How many, newest first: 1 to 100 (50 if not said).' });

/** GET /placements: the newest first, `limit` of them (1 to 100, 50 if not said). */
export const ListPlacementsQuery = z
  .object({
    limit: ListLimit,
    status: z.enum(['recorded', 'confirmed', 'ended']).optional(),
    programmeId: Id.optional(),
    participantId: Id.optional().meta({
      description: "One participant's placements (their history).",
    }),
  })
  .strict();
export type ListPlacementsQuery = z.infer<typeof ListPlacementsQuery>;

/** A placement as the API shows it: ids and job facts. */
export const PlacementView = PlacementTerms.extend({
  id: Id,
  participantId: Id,
  employerId: Id,
  programmeId: Id,
  coachId: Id,
  status: z.enum(['recorded', 'confirmed', 'ended']),
  version: z.number().int().min(1),
  recordedAt: IsoDateTime,
}).meta({ id: 'Placement' });
export type PlacementView = z.infer<typeof PlacementView>;
