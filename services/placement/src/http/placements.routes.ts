import { Router, type Request, type Response } from 'express';
import { callerOf, parseOrThrow, validateBody } from '@sanad/service-kit';
import type { EmployerLinks } from '../application/employer-links';
import type { makeGetPlacement, makeListPlacements } from '../application/find-placements';
import type { PlacementLifecycle } from '../application/placement-lifecycle';
import type { makeRecordPlacement } from '../application/record-placement';
import type { Placement } from '../domain/placement';
import { accessContext } from './access-context';
import {
  ChangePlacementBody,
  ConfirmPlacementBody,
  EndPlacementBody,
  ListPlacementsQuery,
  PlacementIdParam,
  RecordPlacementBody,
  type PlacementView,
} from './placements.schemas';
import { routes } from './routes';
import { idempotencyKeyOf } from './idempotency-key';

export interface PlacementRoutesDeps {
  recordPlacement: ReturnType<typeof makeRecordPlacement>;
  getPlacement: ReturnType<typeof makeGetPlacement>;
  listPlacements: ReturnType<typeof makeListPlacements>;
  lifecycle: PlacementLifecycle;
  resendEmployerLink: EmployerLinks['resend'];
}

/** The change commands of the three lifecycle bodies (shared with the signed-link routes). */
export const confirmCommand = ({ version, ...rest }: ConfirmPlacementBody) => ({
  expectedVersion: version,
  terms: rest.terms,
  accommodations: rest.accommodations,
  // not given: the supervisor stays as recorded; null: none
  ...(rest.supervisorId === undefined ? {} : { supervisorId: rest.supervisorId }),
});
export const changeCommand = ({ version, ...rest }: ChangePlacementBody) => ({
  expectedVersion: version,
  ...rest,
});
export const endCommand = ({ version, ...rest }: EndPlacementBody) => ({
  expectedVersion: version,
  ...rest,
});

/** A placement as the API shows it: ids and job facts. */
export const placementView = (p: Placement): PlacementView => ({
  id: p.id,
  participantId: p.participantId,
  employerId: p.employerId,
  programmeId: p.programmeId,
  coachId: p.coachId,
  ...p.terms,
  supervisorId: p.supervisorId,
  accommodations: p.accommodations,
  status: p.status,
  version: p.version,
  recordedAt: p.recordedAt,
  confirmedAt: p.confirmedAt,
  ending: p.ending,
});

export function placementRoutes({
  recordPlacement,
  getPlacement,
  listPlacements,
  lifecycle,
  resendEmployerLink,
}: PlacementRoutesDeps): Router {
  const router = Router();

  router.post(routes.recordPlacement.path, validateBody(RecordPlacementBody), async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const {
      participantId,
      employerId,
      programmeId,
      coachId,
      supervisorId,
      accommodations,
      ...terms
    } = req.body as RecordPlacementBody;
    const { placement, created, employerLink } = await recordPlacement({
      caller: callerOf(res),
      command: {
        participantId,
        employerId,
        programmeId,
        coachId,
        terms,
        supervisorId: supervisorId ?? null,
        accommodations: accommodations ?? [],
      },
      correlationId: res.locals.correlationId as string,
      idempotencyKey,
    });
    res
      .status(created ? 201 : 200)
      .location(`/placements/${placement.id}`)
      .json({ placement: placementView(placement), ...(employerLink ? { employerLink } : {}) });
  });

  router.get(routes.listPlacements.path, async (req, res) => {
    const query = parseOrThrow(ListPlacementsQuery, req.query, 'query');
    const page = await listPlacements({ caller: callerOf(res), ...query });
    res.json({ placements: page.placements.map(placementView), nextCursor: page.nextCursor });
  });

  const lifecycleRequest = <C>(req: Request, res: Response, command: C) => ({
    actor: { kind: 'caller' as const, context: accessContext(req, res) },
    placementId: parseOrThrow(PlacementIdParam, req.params, 'params').placementId,
    command,
    correlationId: res.locals.correlationId as string,
    idempotencyKey: idempotencyKeyOf(req),
  });

  router.post(
    routes.confirmPlacement.path,
    validateBody(ConfirmPlacementBody),
    async (req, res) => {
      const body = req.body as ConfirmPlacementBody;
      const { placement, employerLink } = await lifecycle.confirm(
        lifecycleRequest(req, res, confirmCommand(body)),
      );
      res.json({ placement: placementView(placement), employerLink });
    },
  );

  router.post(routes.changePlacement.path, validateBody(ChangePlacementBody), async (req, res) => {
    const body = req.body as ChangePlacementBody;
    const { placement } = await lifecycle.change(lifecycleRequest(req, res, changeCommand(body)));
    res.json({ placement: placementView(placement) });
  });

  router.post(routes.endPlacement.path, validateBody(EndPlacementBody), async (req, res) => {
    const body = req.body as EndPlacementBody;
    const { placement } = await lifecycle.end(lifecycleRequest(req, res, endCommand(body)));
    res.json({ placement: placementView(placement) });
  });

  router.post(routes.sendEmployerLink.path, async (req, res) => {
    const { placementId } = parseOrThrow(PlacementIdParam, req.params, 'params');
    const employerLink = await resendEmployerLink({
      context: accessContext(req, res),
      placementId,
    });
    res.json({ employerLink });
  });

  router.get(routes.getPlacement.path, async (req, res) => {
    const { placementId } = parseOrThrow(PlacementIdParam, req.params, 'params');
    const placement = await getPlacement({ context: accessContext(req, res), placementId });
    res.json({ placement: placementView(placement) });
  });

  return router;
}
