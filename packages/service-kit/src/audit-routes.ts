import { once } from 'node:events';
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import {
  AuditAction,
  AuditActor,
  AuditPurpose,
  AuditServiceName,
  AuditSubject,
  Sha256Hex,
  type AuditLog,
} from '@sanad/audit';
import { callerOf } from './authenticate';
import { notFoundHandler } from './error-handler';
import type { DocumentedRoute } from './openapi';
import { parseOrThrow } from './validation';

/** What the routes need of an audit log. */
export type AuditReader = Pick<AuditLog, 'list' | 'verify' | 'exportAll'>;

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `a whole number from 0 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/** GET /audit: records after `afterSeq` (0 = from the first), `limit` of them (1 to 1000, 100). */
export const ListAuditQuery = z
  .object({
    afterSeq: wholeNumber(Number.MAX_SAFE_INTEGER).optional(),
    limit: wholeNumber(1000).pipe(z.number().min(1, 'at least 1')).default(100),
    subjectId: z.uuid().optional(),
  })
  .strict();

/** An audit record as the routes send it (JSON: `at` is an ISO date-time). */
export const AuditEntryView = z
  .object({
    seq: z.number().int().min(1),
    at: z.iso.datetime(),
    service: AuditServiceName,
    actor: AuditActor,
    action: AuditAction,
    subject: AuditSubject,
    purpose: AuditPurpose,
    correlationId: z.string().nullable(),
    prevHash: Sha256Hex,
    hash: Sha256Hex,
  })
  .meta({ id: 'AuditEntry' });

const CHAIN_BREAKS = [
  'malformed',
  'missing-seq',
  'out-of-order',
  'prev-hash-mismatch',
  'hash-mismatch',
] as const satisfies readonly AuditVerifyBreak[];
type AuditVerifyBreak = Extract<
  Awaited<ReturnType<AuditLog['verify']>>,
  { ok: false }
>['firstBroken']['reason'];

/** GET /audit/verify: the chain is whole (with its last record) or where it first breaks. */
export const AuditVerifyView = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    checked: z.number().int().min(0),
    head: z.object({ seq: z.number().int(), hash: Sha256Hex }).nullable(),
  }),
  z.object({
    ok: z.literal(false),
    checked: z.number().int().min(0),
    firstBroken: z.object({ seq: z.number().int(), reason: z.enum(CHAIN_BREAKS) }),
  }),
]);

const ADMINS_ONLY =
  'Admins only: anyone else gets the same 404 as an unknown route, so the route does not show.';

/** The audit routes every service that keeps an audit log serves; its catalogue lists them. */
export const auditRouteRefs = {
  listAudit: {
    method: 'GET',
    path: '/audit',
    doc: {
      summary: 'Page through the audit log (of one subject if asked)',
      description: ADMINS_ONLY,
      tags: ['audit'],
      query: ListAuditQuery,
      responses: {
        200: {
          description: 'Records after `afterSeq`; `nextAfterSeq` is null on the last page.',
          schema: z.object({
            entries: z.array(AuditEntryView),
            nextAfterSeq: z.number().int().nullable(),
          }),
        },
      },
      errors: [404],
    },
  },
  verifyAudit: {
    method: 'GET',
    path: '/audit/verify',
    doc: {
      summary: "Check the audit log's hash chain",
      description: ADMINS_ONLY,
      tags: ['audit'],
      responses: { 200: { description: 'The result of the check.', schema: AuditVerifyView } },
      errors: [404],
    },
  },
  exportAudit: {
    method: 'GET',
    path: '/audit/export',
    doc: {
      summary: 'Download every audit record as one JSON array',
      description: ADMINS_ONLY,
      tags: ['audit'],
      responses: {
        200: {
          description: 'Every record, oldest first (audit-log.json).',
          schema: z.array(AuditEntryView),
          attachment: true,
        },
      },
      errors: [404],
    },
  },
} as const satisfies Record<string, DocumentedRoute>;

/**
 * An admin's window on the service's audit log: `GET /audit` pages through the records (of one
 * subject if asked), `GET /audit/verify` checks the hash chain, `GET /audit/export` streams every
 * record as one JSON array to download. Anyone else gets exactly what an unknown route gets (404),
 * so the routes do not even show they exist.
 */
export function auditRoutes(audit: AuditReader): Router {
  const router = Router();
  const adminsOnly: RequestHandler = (req, res, next) => {
    if (callerOf(res).role === 'admin') next();
    else notFoundHandler(req, res, next);
  };

  router.get(auditRouteRefs.listAudit.path, adminsOnly, async (req, res) => {
    const query = parseOrThrow(ListAuditQuery, req.query, 'query');
    const entries = await audit.list(query);
    const last = entries.at(-1);
    res.json({ entries, nextAfterSeq: last && entries.length === query.limit ? last.seq : null });
  });

  router.get(auditRouteRefs.verifyAudit.path, adminsOnly, async (_req, res) => {
    const result = await audit.verify();
    res.json(
      result.ok
        ? { ok: true, checked: result.checked, head: result.head }
        : { ok: false, checked: result.checked, firstBroken: result.firstBroken },
    );
  });

  router.get(auditRouteRefs.exportAudit.path, adminsOnly, async (_req, res) => {
    const records = audit.exportAll()[Symbol.asyncIterator]();
    try {
      // The first read fails before anything is sent, so that failure is an ordinary error answer.
      let step = await records.next();
      res.status(200).attachment('audit-log.json');
      res.write('[');
      for (let n = 0; !step.done; n++) {
        await write(res, `${n === 0 ? '\n' : ',\n'}${JSON.stringify(step.value)}`);
        step = await records.next();
      }
      res.end('\n]\n');
    } catch (error) {
      if (!res.headersSent) throw error;
      res.destroy(error as Error); // half an array must not look like a whole one
    } finally {
      await records.return?.();
    }
  });

  return router;
}

/** Writes a chunk, waiting for the client to take what it was sent before (or to go away). */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await Promise.race([once(res, 'drain'), once(res, 'close')]);
  if (res.destroyed) throw new Error('the client went away during the export');
}
