import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Role, type Caller, type PlacementScope } from '@sanad/auth';
import type { PlacementRecordedV1 } from '@sanad/contracts';
import { bearerFor, testCaller } from './tokens';

/**
 * The access matrix of a service's HTTP API: every route of its catalogue, as every role, about a
 * placement of the caller's own organisation and of another; plus every way of not being
 * authenticated. Jest-free: a test file turns the checks into cases with `it.each`.
 */
export const ROLES: readonly Role[] = Role.options;
export const RELATIONS = ['own', 'other'] as const;
/** `own`: the caller's programme / caseload / employer is the placement's; `other`: it is not. */
export type Relation = (typeof RELATIONS)[number];

/**
 * What a route must answer: `allowed` 2xx (and, for a list, the placement in it); `not-found` 404
 * with exactly the body it gives for a placement that does not exist; `forbidden` 403 FORBIDDEN;
 * `not-listed` 200 without the placement in the list.
 */
export type Verdict = 'allowed' | 'not-found' | 'forbidden' | 'not-listed';

export interface MatrixTarget {
  placementId: string;
  /** The participant the routes about a person are about, for a service that holds them. */
  participantId?: string;
  scope: PlacementScope;
}

export interface RouteAccessSpec {
  /** Sends the route's request about `target`, with this Authorization header (none if undefined). */
  send(target: MatrixTarget, authorization: string | undefined): Promise<Response>;
  /**
   * The request for something that does not exist, asked by an admin: a `not-found` answer must be
   * exactly its answer. By default the same route about fresh ids; a route that is not about the
   * target (an admin-only route) gives here the request to a route that does not exist.
   */
  sendMissing?(authorization: string): Promise<Response>;
  /** For a route that answers a list: whether a 200 body shows the target. */
  lists?(body: unknown, target: MatrixTarget): boolean;
  rules: Record<Role, Record<Relation, Verdict>>;
}

/** The placement a placement.recorded event records, as a target: its id and its scope. */
export function targetOf({ data }: PlacementRecordedV1): MatrixTarget {
  const { placementId, coachId, employerId, programmeId } = data;
  return { placementId, scope: { coachId, employerId, programmeId } };
}

interface RouteLike {
  method: string;
  path: string;
}
export const routeKey = (route: RouteLike) => `${route.method} ${route.path}`;

/** Rules for a route that shows one placement: admins always, others their own, else 404. */
export const SEE_OWN_ONLY: RouteAccessSpec['rules'] = {
  admin: { own: 'allowed', other: 'allowed' },
  'programme-manager': { own: 'allowed', other: 'not-found' },
  coach: { own: 'allowed', other: 'not-found' },
  'employer-user': { own: 'allowed', other: 'not-found' },
};

/** Rules for a route only admins may call: to anyone else it is a route that does not exist. */
export const ADMIN_ONLY: RouteAccessSpec['rules'] = {
  admin: { own: 'allowed', other: 'allowed' },
  'programme-manager': { own: 'not-found', other: 'not-found' },
  coach: { own: 'not-found', other: 'not-found' },
  'employer-user': { own: 'not-found', other: 'not-found' },
};

/**
 * A caller of `role` whose organisation is (`own`) or is not (`other`) the placement's: a manager
 * of its programme (among others) or of another; its coach or another coach of the same programme;
 * a user of its employer or of another. Admins are the same either way.
 */
export function callerFor(role: Role, relation: Relation, scope: PlacementScope): Caller {
  const own = relation === 'own';
  switch (role) {
    case 'admin':
      return testCaller('admin');
    case 'programme-manager':
      return testCaller(role, {
        programmeIds: own ? [randomUUID(), scope.programmeId] : [randomUUID()],
      });
    case 'coach':
      return testCaller(role, {
        userId: own ? scope.coachId : randomUUID(),
        programmeIds: [scope.programmeId],
      });
    case 'employer-user':
      return testCaller(role, { employerId: own ? scope.employerId : randomUUID() });
  }
}

/** Every way a request can fail to be authenticated. */
export const BAD_AUTHORIZATIONS = [
  'no token',
  'not a bearer token',
  'garbage token',
  'expired token',
  'token for another service',
  'token from another issuer',
  'token signed with another key',
  'token with altered claims',
] as const;
export type BadAuthorization = (typeof BAD_AUTHORIZATIONS)[number];

/** The Authorization header value of each bad case (undefined: no header), made for an admin. */
export async function badAuthorization(
  kind: BadAuthorization,
  audience: string,
): Promise<string | undefined> {
  const admin = testCaller('admin');
  switch (kind) {
    case 'no token':
      return undefined;
    case 'not a bearer token':
      return `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    case 'garbage token':
      return 'Bearer not.a.token';
    case 'expired token':
      return bearerFor(admin, audience, { ttlSeconds: -60 });
    case 'token for another service':
      return bearerFor(admin, `not-${audience}`);
    case 'token from another issuer':
      return bearerFor(admin, audience, { issuer: 'someone-else' });
    case 'token signed with another key':
      return bearerFor(admin, audience, { privateKey: generateKeyPairSync('ed25519').privateKey });
    case 'token with altered claims': {
      const coach = testCaller('coach');
      const [header, payload, signature] = (await bearerFor(coach, audience))
        .slice('Bearer '.length)
        .split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object;
      const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString(
        'base64url',
      );
      return `Bearer ${header}.${promoted}.${signature}`;
    }
  }
}

/** Throws unless `res` is the 401 of a request that is not authenticated. */
export async function expectUnauthenticated(res: Response, what = 'the request'): Promise<void> {
  const body = await bodyOf(res);
  const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
  const challenge = res.headers.get('www-authenticate');
  if (res.status !== 401 || code !== 'UNAUTHENTICATED' || challenge !== 'Bearer') {
    throw new Error(
      `${what}: expected 401 UNAUTHENTICATED with WWW-Authenticate: Bearer, got ${res.status} ` +
        `(WWW-Authenticate: ${challenge}) ${JSON.stringify(body)}`,
    );
  }
}

export interface AccessMatrixSettings {
  /** The service's route catalogue: every route must have a spec, and no spec may be extra. */
  catalogue: readonly RouteLike[];
  specs: Record<string, RouteAccessSpec>;
  /** The audience the service accepts. */
  audience: string;
  /** The placement the requests are about, known once the test's setup has made it. */
  target: () => MatrixTarget;
}

export type AccessCheck = [name: string, run: () => Promise<void>];

/**
 * The checks of the matrix, named, for `it.each(accessMatrixChecks(...))('%s', (_, run) => run())`.
 * Throws at once if the catalogue and the specs do not name the same routes, so a route added to
 * the catalogue without rules fails the test file.
 */
export function accessMatrixChecks({
  catalogue,
  specs,
  audience,
  target,
}: AccessMatrixSettings): AccessCheck[] {
  const declared = catalogue.map(routeKey);
  const missing = declared.filter((key) => !(key in specs));
  const extra = Object.keys(specs).filter((key) => !declared.includes(key));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `the access matrix must cover the route catalogue exactly: ` +
        `without rules: [${missing.join(', ')}]; not in the catalogue: [${extra.join(', ')}]`,
    );
  }

  const checks: AccessCheck[] = [];
  for (const key of declared) {
    const spec = specs[key] as RouteAccessSpec;
    for (const kind of BAD_AUTHORIZATIONS) {
      checks.push([
        `${key} with ${kind}: 401`,
        async () => {
          const res = await spec.send(target(), await badAuthorization(kind, audience));
          await expectUnauthenticated(res, `${key} with ${kind}`);
        },
      ]);
    }
    for (const role of ROLES) {
      for (const relation of RELATIONS) {
        const verdict = spec.rules[role]?.[relation];
        if (!verdict) throw new Error(`${key}: no rule for ${role} (${relation})`);
        checks.push([
          `${key} as ${role} (${relation}): ${verdict}`,
          () => checkVerdict(spec, { key, role, relation, verdict, audience, target: target() }),
        ]);
      }
    }
  }
  return checks;
}

async function checkVerdict(
  spec: RouteAccessSpec,
  c: {
    key: string;
    role: Role;
    relation: Relation;
    verdict: Verdict;
    audience: string;
    target: MatrixTarget;
  },
): Promise<void> {
  const caller = callerFor(c.role, c.relation, c.target.scope);
  const res = await spec.send(c.target, await bearerFor(caller, c.audience));
  const body = await bodyOf(res);
  const fail = (expected: string) => {
    throw new Error(
      `${c.key} as ${c.role} (${c.relation}): expected ${expected}, got ${res.status} ` +
        JSON.stringify(body),
    );
  };
  switch (c.verdict) {
    case 'allowed':
      if (res.status < 200 || res.status > 299) fail('2xx');
      if (spec.lists && !spec.lists(body, c.target)) fail('the placement in the list');
      return;
    case 'not-listed':
      if (!spec.lists) throw new Error(`${c.key}: 'not-listed' needs lists()`);
      if (res.status !== 200 || spec.lists(body, c.target)) fail('200 without the placement');
      return;
    case 'forbidden':
      if (
        res.status !== 403 ||
        (body as { error?: { code?: string } })?.error?.code !== 'FORBIDDEN'
      )
        fail('403 FORBIDDEN');
      return;
    case 'not-found': {
      // Exactly what a placement that does not exist gets, asked by an admin: nothing tells them apart.
      const missing = {
        placementId: randomUUID(),
        participantId: randomUUID(),
        scope: c.target.scope,
      };
      const adminAuthorization = await bearerFor(testCaller('admin'), c.audience);
      const absent = spec.sendMissing
        ? await spec.sendMissing(adminAuthorization)
        : await spec.send(missing, adminAuthorization);
      const absentBody = await bodyOf(absent);
      if (absent.status !== 404) {
        throw new Error(`${c.key}: a missing placement should be 404, got ${absent.status}`);
      }
      if (res.status !== 404 || JSON.stringify(body) !== JSON.stringify(absentBody)) {
        fail(`404 ${JSON.stringify(absentBody)} (as for a missing placement)`);
      }
      return;
    }
  }
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text;
  }
}
