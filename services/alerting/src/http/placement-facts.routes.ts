import { Router } from 'express';
import { z } from 'zod';
import { Id } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import { parseOrThrow } from '@sanad/service-kit';
import type { PlacementFactsRepository } from '../application/ports';

const Params = z.object({ placementId: Id });

/** GET /placements/:placementId/facts: what the risk rules know of a placement. */
export function placementFactsRoutes(facts: PlacementFactsRepository): Router {
  const router = Router();
  router.get('/placements/:placementId/facts', async (req, res) => {
    const { placementId } = parseOrThrow(Params, req.params, 'params');
    const found = await facts.find(placementId);
    if (!found) throw AppError.notFound('placement facts');
    res.json({ facts: found });
  });
  return router;
}
