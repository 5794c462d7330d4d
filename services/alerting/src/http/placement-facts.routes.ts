import { Router } from 'express';
import { z } from 'zod';
import { Id } from '@sanad/contracts';
import { callerOf, parseOrThrow } from '@sanad/service-kit';
import type { makeGetFacts } from '../application/get-facts';
import { routes } from './routes';

const Params = z.object({ placementId: Id });

/** GET /placements/:placementId/facts: what the risk rules know of a placement. */
export function placementFactsRoutes(deps: { getFacts: ReturnType<typeof makeGetFacts> }): Router {
  const router = Router();
  router.get(routes.getFacts.path, async (req, res) => {
    const { placementId } = parseOrThrow(Params, req.params, 'params');
    res.json({ facts: await deps.getFacts({ caller: callerOf(res), placementId }) });
  });
  return router;
}
