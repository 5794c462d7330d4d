import { Router } from 'express';
import { z } from 'zod';
import { Id } from '@sanad/contracts';
import { callerOf, parseOrThrow } from '@sanad/service-kit';
import type { makeGetFollowUps } from '../application/get-follow-ups';
import { routes } from './routes';

const Params = z.object({ placementId: Id });

/** GET /placements/:placementId/follow-ups: the plan, each check-in with the state of its job. */
export function followUpRoutes(deps: {
  getFollowUps: ReturnType<typeof makeGetFollowUps>;
}): Router {
  const router = Router();
  router.get(routes.getFollowUps.path, async (req, res) => {
    const { placementId } = parseOrThrow(Params, req.params, 'params');
    res.json(await deps.getFollowUps({ caller: callerOf(res), placementId }));
  });
  return router;
}
