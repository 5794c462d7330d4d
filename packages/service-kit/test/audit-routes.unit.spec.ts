import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Router } from 'express';
import request from 'supertest';
import { sealEntry, verifyChain, GENESIS_HASH, type AuditEntry } from '@sanad/audit';
import { createTokenSigner, createTokenVerifier, type Caller, type Role } from '@sanad/auth';
import { createLogger } from '@sanad/logger';
import {
  accessPurposeOf,
  auditRouteRefs,
  auditRoutes,
  callerOf,
  createHttpApp,
  type AuditReader,
} from '../src';

const keys = generateKeyPairSync('ed25519');
const callerAs = (role: Role): Caller => ({
  userId: randomUUID(),
  role,
  programmeIds: [],
  employerId: null,
});
const bearer = async (role: Role) =>
  `Bearer ${await createTokenSigner(keys.privateKey).sign(callerAs(role), 'things')}`;

/** A chain of `n` records about two subjects, kept in memory: the reader the routes are given. */
function memoryLog(n: number, subjects = [randomUUID(), randomUUID()]) {
  const entries: AuditEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    entries.push(
      sealEntry({
        seq,
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
        service: 'things',
        actor: { userId: randomUUID(), role: 'coach' },
        action: 'read',
        subject: { type: 'participant', id: subjects[seq % 2] as string },
        purpose: 'follow-up',
        correlationId: null,
        prevHash: entries.at(-1)?.hash ?? GENESIS_HASH,
      }),
    );
  }
  const reader: AuditReader = {
    async list({ afterSeq = 0, limit = 100, subjectId } = {}) {
      return entries
        .filter((e) => e.seq > afterSeq && (!subjectId || e.subject.id === subjectId))
        .slice(0, limit);
    },
    verify: () => verifyChain(entries),
    async *exportAll() {
      yield* entries;
    },
  };
  return { entries, reader, subjects };
}

function appWith(reader: AuditReader) {
  const purposes = Router();
  purposes.get('/purpose', (req, res) => {
    res.json({ purpose: accessPurposeOf(req, callerOf(res)) });
  });
  return createHttpApp({
    logger: createLogger({ service: 'test', level: 'silent' }),
    readiness: {},
    verifier: createTokenVerifier(keys.publicKey, { audience: 'things' }),
    routes: [auditRoutes(reader), purposes],
  });
}

describe('the audit routes', () => {
  const log = memoryLog(7);
  const app = appWith(log.reader);
  const get = async (path: string, role: Role = 'admin') =>
    request(app)
      .get(path)
      .set('authorization', await bearer(role));

  it('pages through the records for an admin, and of one subject if asked', async () => {
    const first = await get('/audit?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e: AuditEntry) => e.seq)).toEqual([1, 2, 3]);
    expect(first.body.nextAfterSeq).toBe(3);
    const rest = await get('/audit?afterSeq=3');
    expect(rest.body.entries.map((e: AuditEntry) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(rest.body.nextAfterSeq).toBeNull();
    const one = await get(`/audit?subjectId=${log.subjects[0]}`);
    expect(one.body.entries.map((e: AuditEntry) => e.seq)).toEqual([2, 4, 6]);
  });

  it('says whether the chain is intact, and where it breaks', async () => {
    expect((await get('/audit/verify')).body).toEqual({
      ok: true,
      checked: 7,
      head: { seq: 7, hash: log.entries[6]?.hash },
    });
    const broken = memoryLog(4);
    (broken.entries[2] as { purpose: string }).purpose = 'reporting';
    const res = await request(appWith(broken.reader))
      .get('/audit/verify')
      .set('authorization', await bearer('admin'));
    expect(res.body).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('streams the whole log as one JSON array to download', async () => {
    const res = await get('/audit/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe('attachment; filename=audit-log.json');
    const records = JSON.parse(res.text) as AuditEntry[];
    expect(records.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(records[0]?.hash).toBe(log.entries[0]?.hash);
    const empty = await request(appWith(memoryLog(0).reader))
      .get('/audit/export')
      .set('authorization', await bearer('admin'));
    expect(JSON.parse(empty.text)).toEqual([]);
  });

  it.each(['programme-manager', 'coach', 'employer-user'] as const)(
    'is, for a %s, exactly like a route that does not exist',
    async (role) => {
      const unknown = await get('/no-such-route', role);
      for (const route of Object.values(auditRouteRefs)) {
        const res = await get(`${route.path}?limit=nonsense`, role);
        expect([route.path, res.status, res.body]).toEqual([route.path, 404, unknown.body]);
      }
    },
  );

  it.each([
    ['?limit=0', 'query.limit'],
    ['?limit=1001', 'query.limit'],
    ['?afterSeq=-1', 'query.afterSeq'],
    ['?subjectId=someone', 'query.subjectId'],
    ['?subject=x', 'query.subject'],
  ])('answers 400 naming the parameter for %s', async (query, path) => {
    const res = await get(`/audit${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([path]);
  });
});

describe('the access purpose of a request', () => {
  const app = appWith(memoryLog(0).reader);
  const purpose = async (role: Role, header?: string) => {
    let req = request(app)
      .get('/purpose')
      .set('authorization', await bearer(role));
    if (header !== undefined) req = req.set('x-access-purpose', header);
    return req;
  };

  it('is what the caller says, if it is one of the audit purposes', async () => {
    expect((await purpose('coach', 'data-subject-request')).body.purpose).toBe(
      'data-subject-request',
    );
  });

  it('defaults to administration for admins and follow-up for the others', async () => {
    expect((await purpose('admin')).body.purpose).toBe('administration');
    expect((await purpose('programme-manager')).body.purpose).toBe('follow-up');
    expect((await purpose('coach')).body.purpose).toBe('follow-up');
  });

  it.each(['curiosity', '', 'Follow-Up'])('refuses %j naming the header', async (header) => {
    const res = await purpose('coach', header);
    expect(res.status).toBe(400);
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      'headers.x-access-purpose',
    ]);
  });
});
