import { Router } from 'express';
import { accessPurposeOf, callerOf, idempotencyKeyOf, parseOrThrow } from '@sanad/service-kit';
import type { makeGetFollowUps, makeListDueTasks } from '../application/get-follow-ups';
import type { RecordCheckins } from '../application/record-checkins';
import { recordView } from '../application/record-checkins';
import type { ReconcileFollowUps } from '../application/reconcile-follow-ups';
import { AppError } from '@sanad/errors';

import { DueQuery, PlacementIdParam, RecordCheckinBody } from './follow-ups.schemas';
import { routes } from './routes';

/**
 * A placement's follow-up plan and answers; a coach's contact recorded; the check-ins waiting on
 * someone (the coach's task list); and, for admins, a reconcile of plans with jobs on demand.
 */
export function followUpRoutes(deps: {
  getFollowUps: ReturnType<typeof makeGetFollowUps>;
  listDueTasks: ReturnType<typeof makeListDueTasks>;
  recordCheckins: RecordCheckins;
  reconcile: ReconcileFollowUps;
}): Router {
  const router = Router();
  router.get(routes.getFollowUps.path, async (req, res) => {
    const { placementId } = parseOrThrow(PlacementIdParam, req.params, 'params');
    const caller = callerOf(res);
    res.json(
      await deps.getFollowUps({
        context: {
          caller,
          purpose: accessPurposeOf(req, caller),
          correlationId: res.locals.correlationId as string,
        },
        placementId,
      }),
    );
  });
  router.post(routes.recordCheckin.path, async (req, res) => {
    const { placementId } = parseOrThrow(PlacementIdParam, req.params, 'params');
    const idempotencyKey = idempotencyKeyOf(req);
    const body = parseOrThrow(RecordCheckinBody, req.body ?? {});
    const caller = callerOf(res);
    const { status, record } = await deps.recordCheckins.byCoach({
      caller,
      purpose: accessPurposeOf(req, caller),
      placementId,
      ...(body.checkinId ? { checkinId: body.checkinId } : {}),
      contactType: body.contactType,
      twoWay: body.twoWay,
      answers: body.answers,
      ...(body.notes ? { notes: body.notes } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      correlationId: res.locals.correlationId as string,
    });
    res.status(status).json(recordView(record, caller));
  });
  router.get(routes.listDue.path, async (req, res) => {
    const query = parseOrThrow(DueQuery, req.query, 'query');
    res.json(await deps.listDueTasks(callerOf(res), query, new Date()));
  });
  router.post(routes.reconcile.path, async (_req, res) => {
    if (callerOf(res).role !== 'admin')
      throw new AppError('FORBIDDEN', 'only an administrator reconciles follow-ups');
    res.json(await deps.reconcile(res.locals.correlationId as string));
  });
  return router;
}
