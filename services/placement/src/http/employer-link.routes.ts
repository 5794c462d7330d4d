import express, { Router, type Request, type Response } from 'express';
import { parseOrThrow, validateBody } from '@sanad/service-kit';
import type { EmployerLinkPurpose, EmployerLinks } from '../application/employer-links';
import type { PlacementLifecycle } from '../application/placement-lifecycle';
import {
  ChangePlacementBody,
  ConfirmPlacementBody,
  EndPlacementBody,
  LinkSecretHeader,
} from './placements.schemas';
import { changeCommand, confirmCommand, endCommand, placementView } from './placements.routes';
import { idempotencyKeyOf } from './idempotency-key';
import { publicRoutes } from './routes';

/**
 * The employer's signed-link routes: no account, the link's secret is the credential. It comes in
 * the `X-Link-Secret` header (never in a path, which logs would keep); the link names the one
 * placement it may act on, and its purpose what it may do. A link that cannot be used answers 410
 * with the reason, which the web app turns into a page that says so.
 */
export function employerLinkRoutes({
  employerLinks,
  lifecycle,
}: {
  employerLinks: EmployerLinks;
  lifecycle: PlacementLifecycle;
}): Router {
  const router = Router();
  const secretOf = (req: Request) =>
    parseOrThrow(LinkSecretHeader, { 'x-link-secret': req.header('x-link-secret') }, 'headers')[
      'x-link-secret'
    ];
  const correlationIdOf = (res: Response) => res.locals.correlationId as string;
  // These routes sit before the token check, where no body is parsed: each parses its own.
  const json = express.json({ limit: '16kb', strict: true });

  /** The placement the link may act on for this purpose, as a lifecycle request. */
  const linkRequest = async <C>(
    req: Request,
    res: Response,
    purpose: EmployerLinkPurpose,
    command: C,
  ) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const { placement } = await employerLinks.resolve(secretOf(req), purpose, idempotencyKey);
    return {
      actor: { kind: 'link' as const, placementId: placement.id },
      placementId: placement.id,
      command,
      correlationId: correlationIdOf(res),
      idempotencyKey,
    };
  };

  router.get(publicRoutes.openEmployerLink.path, async (req, res) => {
    const opened = await employerLinks.open(secretOf(req), correlationIdOf(res));
    res.setHeader('cache-control', 'no-store');
    res.json({ ...opened, placement: placementView(opened.placement) });
  });

  router.post(
    publicRoutes.confirmByEmployerLink.path,
    json,
    validateBody(ConfirmPlacementBody),
    async (req, res) => {
      const request = await linkRequest(
        req,
        res,
        'confirm-placement',
        confirmCommand(req.body as ConfirmPlacementBody),
      );
      // the link for later changes goes with the first confirmation (null for a retry)
      const { placement, employerLink } = await lifecycle.confirm(request);
      res.json({ placement: placementView(placement), employerLink });
    },
  );

  router.post(
    publicRoutes.changeByEmployerLink.path,
    json,
    validateBody(ChangePlacementBody),
    async (req, res) => {
      const request = await linkRequest(
        req,
        res,
        'report-change',
        changeCommand(req.body as ChangePlacementBody),
      );
      const { placement } = await lifecycle.change(request);
      res.json({ placement: placementView(placement) });
    },
  );

  router.post(
    publicRoutes.endByEmployerLink.path,
    json,
    validateBody(EndPlacementBody),
    async (req, res) => {
      const request = await linkRequest(
        req,
        res,
        'report-change',
        endCommand(req.body as EndPlacementBody),
      );
      const { placement } = await lifecycle.end(request);
      res.json({ placement: placementView(placement) });
    },
  );

  return router;
}
