import { Router, type Response } from 'express';
import type { Logger } from '@sanad/logger';
import type { ServiceClient } from '../clients/service-client';
import { callerOf } from '../domain/user';
import type { Translate } from './forms';
import { requireUser, signedIn } from './identity.middleware';

interface PlacementSummary {
  id: string;
  jobTitle: string;
  startDate: string;
  status: string;
  hoursPerWeek: number;
}

/**
 * Home: what the signed-in user may see, as the placement service decides it. If a service is
 * away the page still opens and says so.
 */
export function homeRoutes(deps: { placements: ServiceClient; logger: Logger }): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;

  router.get('/', requireUser, async (_req, res) => {
    const user = signedIn(res);
    let placements: PlacementSummary[] | null = null;
    try {
      const answer = await deps.placements.get<{ placements: PlacementSummary[] }>(
        '/placements?limit=50',
        callerOf(user),
      );
      placements = answer?.placements ?? [];
    } catch (error) {
      deps.logger.warn({ err: error }, 'placements unavailable for the home page');
    }
    res.render('pages/home', { title: t(res)('home.title'), placements });
  });

  return router;
}
