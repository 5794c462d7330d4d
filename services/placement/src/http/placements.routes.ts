import { Router } from 'express';
import { AppError } from '@sanad/errors';
import { parseOrThrow, validateBody } from '@sanad/service-kit';
import type { makeRecordPlacement } from '../application/record-placement';
import type { PlacementRepository } from '../application/ports';
import type { Placement } from '../domain/placement';
import { IdempotencyKey, PlacementIdParam, RecordPlacementBody } from './placements.schemas';

export interface PlacementRoutesDeps {
  recordPlacement: ReturnType<typeof makeRecordPlacement>;
  placements: PlacementRepository;
}

const view = (p: Placement) => ({
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

export function placementRoutes({ recordPlacement, placements }: PlacementRoutesDeps): Router {
  const router = Router();

  router.post('/placements', validateBody(RecordPlacementBody), async (req, res) => {
    const header = req.header('idempotency-key');
    const idempotencyKey =
      header === undefined
        ? undefined
        : parseOrThrow(IdempotencyKey, header, 'headers.idempotency-key');
    const { participantId, employerId, programmeId, coachId, ...terms } =
      req.body as RecordPlacementBody;
    const { placement, created } = await recordPlacement({
      command: { participantId, employerId, programmeId, coachId, terms },
      correlationId: res.locals.correlationId as string,
      idempotencyKey,
    });
    res
      .status(created ? 201 : 200)
      .location(`/placements/${placement.id}`)
      .json({ placement: view(placement) });
  });

  router.get('/placements/:placementId', async (req, res) => {
    const { placementId } = parseOrThrow(PlacementIdParam, req.params, 'params');
    const placement = await placements.findById(placementId);
    if (!placement) throw AppError.notFound('placement');
    res.json({ placement: view(placement) });
  });

  return router;
}
