import { Router } from 'express';
import { z } from 'zod';
import { followUpJobId, Id } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import { parseOrThrow } from '@sanad/service-kit';
import type { FollowUpPlanRepository, FollowUpScheduler } from '../application/ports';

const Params = z.object({ placementId: Id });

/** GET /placements/:placementId/follow-ups: the plan, each check-in with the state of its job. */
export function followUpRoutes(deps: {
  plans: FollowUpPlanRepository;
  scheduler: FollowUpScheduler;
}): Router {
  const router = Router();
  router.get('/placements/:placementId/follow-ups', async (req, res) => {
    const { placementId } = parseOrThrow(Params, req.params, 'params');
    const plan = await deps.plans.find(placementId);
    if (!plan) throw AppError.notFound('follow-up plan');
    const jobIds = plan.checkins.map((c) =>
      followUpJobId(placementId, c.milestoneDay, c.respondent),
    );
    const states = await deps.scheduler.states(jobIds);
    res.json({
      placementId,
      startDate: plan.startDate,
      checkins: plan.checkins.map((c, i) => ({
        ...c,
        job: { id: jobIds[i], state: states[jobIds[i] as string] ?? 'missing' },
      })),
    });
  });
  return router;
}
