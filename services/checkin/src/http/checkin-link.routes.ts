import express, { Router } from 'express';
import { idempotencyKeyOf, linkSecretOf } from '@sanad/service-kit';
import type { makeOpenCheckinLink } from '../application/checkin-links';
import type { RecordCheckins } from '../application/record-checkins';
import { publicRoutes } from './routes';

/**
 * The participant's and supervisor's signed-link routes: no account, the link's secret (in the
 * `X-Link-Secret` header, never in a path) opens one check-in. A link that cannot be used answers
 * 410 with the reason; the web app turns it into a page that says so.
 */
export function checkinLinkRoutes({
  openLink,
  recordCheckins,
}: {
  openLink: ReturnType<typeof makeOpenCheckinLink>;
  recordCheckins: RecordCheckins;
}): Router {
  const router = Router();
  // These routes sit before the token check, where no body is parsed: each parses its own.
  const json = express.json({ limit: '16kb', strict: true });

  router.get(publicRoutes.openLink.path, async (req, res) => {
    const { link, plan, checkin } = await openLink(linkSecretOf(req), new Date());
    res.set('Cache-Control', 'no-store').json({
      respondent: checkin.respondent,
      milestoneDay: checkin.milestoneDay,
      dueDate: checkin.dueDate,
      expiresAt: link.expiresAt.toISOString(),
      // The language its mail was written in: the page speaks it unless the device chose another.
      language: checkin.invitation?.language ?? null,
      jobTitle: plan.terms.jobTitle,
      status: checkin.status === 'completed' ? 'completed' : 'open',
    });
  });

  router.post(publicRoutes.answerLink.path, json, async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const opened = await openLink(linkSecretOf(req), new Date());
    const { status, record } = await recordCheckins.byLink(
      opened,
      req.body,
      idempotencyKey,
      res.locals.correlationId as string,
    );
    res.status(status).set('Cache-Control', 'no-store').json({
      recordId: record.recordId,
      recordedAt: record.recordedAt,
    });
  });
  return router;
}
