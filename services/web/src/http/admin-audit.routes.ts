import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AuditSource } from '../application/audit-sources';
import { callerOf } from '../domain/user';
import type { Translate } from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';

const PAGE_SIZE = 50;

/** Admins read and export each service's audit log, and see whether its chain is intact. */
export function adminAuditRoutes(deps: { sources: AuditSource[] }): Router {
  const router = Router();
  router.use('/admin/audit', requireUser, requireRole('admin'));
  const t = (res: Response) => res.locals.t as Translate;
  const names = deps.sources.map((s) => s.name) as [string, ...string[]];
  const Query = z.object({
    source: z.enum(names).catch(names[0]),
    afterSeq: z.coerce.number().int().min(0).catch(0),
  });
  const sourceOf = (name: string) => deps.sources.find((s) => s.name === name) as AuditSource;

  router.get('/admin/audit', async (req, res) => {
    const { source, afterSeq } = Query.parse(req.query);
    const caller = callerOf(signedIn(res));
    const [entries, chain] = await Promise.all([
      sourceOf(source).page(caller, afterSeq, PAGE_SIZE),
      sourceOf(source).verify(caller),
    ]);
    const last = entries.at(-1);
    res.render('pages/admin/audit', {
      title: t(res)('admin.audit.title'),
      sources: names,
      source,
      entries,
      chain,
      afterSeq,
      nextAfterSeq: entries.length === PAGE_SIZE && last ? last.seq : null,
    });
  });

  router.get('/admin/audit/export', async (req, res) => {
    const { source } = Query.parse(req.query);
    const body = await sourceOf(source).export(callerOf(signedIn(res)));
    const day = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${source}-${day}.json"`);
    await pipeline(body, res);
  });

  return router;
}
