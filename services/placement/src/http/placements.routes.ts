import { Router } from 'express';
import { callerOf, parseOrThrow, validateBody } from '@sanad/service-kit';
import type { makeGetPlacement, makeListPlacements } from '../application/find-placements';
import type { makeRecordPlacement } from '../application/record-placement';
import type { Placement } from '../domain/placement';
import { accessContext } from './access-context';
import {
  IdempotencyKey,
  ListPlacementsQuery,
  PlacementIdParam,
  RecordPlacementBody,
  type PlacementView,
} from './placements.schemas';
import { routes } from './routes';

export interface PlacementRoutesDeps {
  recordPlacement: ReturnType<typeof makeRecordPlacement>;
  getPlacement: ReturnType<typeof makeGetPlacement>;
  listPlacements: ReturnType<typeof makeListPlacements>;
}

/** A placement as the API shows it: ids and job facts. */
export const placementView = (p: Placement): PlacementView => ({
  id: p.id,
  participantId: p.participantId,
  employerId: p.employerId,
  programmeId: p.programmeId,
  coachId: p.coachId,
  ...p.terms,
  status: p.status,
  version: p.version,
  recordedAt: p.recordedAt,
});

export function placementRoutes({
  recordPlacement,
  getPlacement,
  listPlacements,
}: PlacementRoutesDeps): Router {
  const router = Router();

  router.post(routes.recordPlacement.path, validateBody(RecordPlacementBody), async (req, res) => {
    const header = req.header('idempotency-key');
    const idempotencyKey =
      header === undefined
        ? undefined
        : parseOrThrow(IdempotencyKey, header, 'headers.idempotency-key');
    const { participantId, employerId, programmeId, coachId, ...terms } =
      req.body as RecordPlacementBody;
    const { placement, created } = await recordPlacement({
      caller: callerOf(res),
      command: { participantId, employerId, programmeId, coachId, terms },
      correlationId: res.locals.correlationId as string,
      idempotencyKey,
    });
    res
      .status(created ? 201 : 200)
      .location(`/placements/${placement.id}`)
      .json({ placement: placementView(placement) });
  });

  router.get(routes.listPlacements.path, async (req, res) => {
    const query = parseOrThrow(ListPlacementsQuery, req.query, 'query');
    const found = await listPlacements({ caller: callerOf(res), ...query });
    res.json({ placements: found.map(placementView) });
  });

  router.get(routes.getPlacement.path, async (req, res) => {
    const { placementId } = parseOrThrow(PlacementIdParam, req.params, 'params');
    const placement = await getPlacement({ context: accessContext(req, res), placementId });
    res.json({ placement: placementView(placement) });
  });

  return router;
}
