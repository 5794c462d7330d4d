import { Router } from 'express';
import { callerOf, parseOrThrow } from '@sanad/service-kit';
import type { FollowUpPolicies } from '../application/follow-up-policies';
import type { StoredPolicy } from '../application/ports';
import { ProgrammeIdParam, PutPolicyBody } from './policy.schemas';
import { routes } from './routes';

const policyView = (stored: StoredPolicy) => ({
  programmeId: stored.programmeId,
  version: stored.version,
  ...stored.policy,
  updatedAt: stored.updatedAt,
});

/** A programme's follow-up policy: read by its staff, changed by an admin (re-planning on request). */
export function policyRoutes({ policies }: { policies: FollowUpPolicies }): Router {
  const router = Router();
  router.get(routes.getPolicy.path, async (req, res) => {
    const { programmeId } = parseOrThrow(ProgrammeIdParam, req.params, 'params');
    res.json(policyView(await policies.get(callerOf(res), programmeId)));
  });
  router.put(routes.putPolicy.path, async (req, res) => {
    const { programmeId } = parseOrThrow(ProgrammeIdParam, req.params, 'params');
    const { version, replanOpen, ...policy } = parseOrThrow(PutPolicyBody, req.body ?? {});
    const saved = await policies.put(
      callerOf(res),
      programmeId,
      { version, policy, replanOpen },
      res.locals.correlationId as string,
    );
    res.json({ policy: policyView(saved.policy), replanned: saved.replanned });
  });
  return router;
}
