import { createTokenVerifier, maySeePlacement, type PlacementScope } from '@sanad/auth';
import { randomUUID } from 'node:crypto';
import {
  accessMatrixChecks,
  ADMIN_ONLY,
  BAD_AUTHORIZATIONS,
  badAuthorization,
  bearerFor,
  callerFor,
  RELATIONS,
  ROLES,
  placementRecordedEvent,
  SEE_OWN_ONLY,
  targetOf,
  testCaller,
  testTokenKeys,
  type RouteAccessSpec,
} from '../src';

const scope: PlacementScope = {
  coachId: randomUUID(),
  employerId: randomUUID(),
  programmeId: randomUUID(),
};

describe('callers of the access matrix', () => {
  it.each(ROLES.flatMap((role) => RELATIONS.map((relation) => [role, relation] as const)))(
    '%s (%s) sees the placement exactly as SEE_OWN_ONLY says',
    (role, relation) => {
      const caller = callerFor(role, relation, scope);
      expect(caller.role).toBe(role);
      expect(maySeePlacement(caller, scope)).toBe(SEE_OWN_ONLY[role][relation] === 'allowed');
    },
  );

  it('targetOf takes the placement and its scope from placement.recorded', () => {
    const recorded = placementRecordedEvent(scope);
    expect(targetOf(recorded)).toEqual({ placementId: recorded.data.placementId, scope });
  });

  it('testCaller gives managers a programme and employer users an employer, fresh each time', () => {
    expect(testCaller('programme-manager').programmeIds).toHaveLength(1);
    expect(testCaller('employer-user').employerId).toEqual(expect.any(String));
    expect(testCaller('coach')).toMatchObject({ programmeIds: [], employerId: null });
    expect(testCaller('admin').userId).not.toBe(testCaller('admin').userId);
  });
});

describe('test tokens', () => {
  const verifier = createTokenVerifier(testTokenKeys.publicKey, { audience: 'placement' });
  const verify = (authorization: string | undefined) =>
    verifier.verify((authorization ?? '').replace(/^Bearer /, ''));

  it('bearerFor makes a header the service accepts', async () => {
    const caller = testCaller('coach');
    expect(await verify(await bearerFor(caller, 'placement'))).toEqual(caller);
  });

  it.each(BAD_AUTHORIZATIONS.filter((k) => k.startsWith('token') || k === 'garbage token'))(
    'a %s is refused by the verifier',
    async (kind) => {
      await expect(verify(await badAuthorization(kind, 'placement'))).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    },
  );
});

describe('accessMatrixChecks', () => {
  const spec: RouteAccessSpec = { send: () => Promise.reject(new Error()), rules: SEE_OWN_ONLY };
  const target = () => ({ placementId: randomUUID(), scope });

  it('makes a check per bad authorization and per role and relation, for every route', () => {
    const checks = accessMatrixChecks({
      catalogue: [{ method: 'GET', path: '/a/:id' }],
      specs: { 'GET /a/:id': spec },
      audience: 'a',
      target,
    });
    expect(checks).toHaveLength(BAD_AUTHORIZATIONS.length + ROLES.length * RELATIONS.length);
    expect(checks.map(([name]) => name)).toContain('GET /a/:id as coach (other): not-found');
  });

  it('compares a not-found answer with what sendMissing gets, when a route gives one', async () => {
    const notFound = () => Response.json({ error: { code: 'NOT_FOUND' } }, { status: 404 });
    const adminOnly = (sendMissing: () => Promise<Response>): RouteAccessSpec => ({
      send: async (_t, authorization) => {
        const role = JSON.parse(
          Buffer.from(authorization?.split('.')[1] ?? '', 'base64url').toString() || '{}',
        ).role;
        return role === 'admin' ? Response.json({ ok: true }) : notFound();
      },
      sendMissing,
      rules: ADMIN_ONLY,
    });
    const run = (spec: RouteAccessSpec) =>
      Promise.all(
        accessMatrixChecks({
          catalogue: [{ method: 'GET', path: '/audit' }],
          specs: { 'GET /audit': spec },
          audience: 'a',
          target,
        })
          .filter(([name]) => name.includes(' as '))
          .map(([, check]) => check()),
      );
    await expect(run(adminOnly(async () => notFound()))).resolves.toBeDefined();
    await expect(
      run(adminOnly(async () => Response.json({ error: { code: 'GONE' } }, { status: 404 }))),
    ).rejects.toThrow(/expected 404/);
  });

  it('refuses a catalogue route without rules and rules for a route not in the catalogue', () => {
    expect(() =>
      accessMatrixChecks({
        catalogue: [
          { method: 'GET', path: '/a/:id' },
          { method: 'POST', path: '/a' },
        ],
        specs: { 'GET /a/:id': spec, 'DELETE /a/:id': spec },
        audience: 'a',
        target,
      }),
    ).toThrow('without rules: [POST /a]; not in the catalogue: [DELETE /a/:id]');
  });
});
