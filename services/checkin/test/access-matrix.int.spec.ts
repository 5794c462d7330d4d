import { randomUUID } from 'node:crypto';
import { ServiceAudiences } from '@sanad/auth';
import { createEvent, PlacementConfirmedV1 } from '@sanad/contracts';
import { auditRouteRefs, PUBLIC_ROUTES, registeredRoutes, sortRoutes } from '@sanad/service-kit';
import {
  accessMatrixChecks,
  ADMIN_ONLY,
  bearerFor,
  callerFor,
  placementRecordedEvent,
  routeKey,
  SEE_OWN_ONLY,
  targetOf,
  testCaller,
  waitFor,
  type MatrixTarget,
  type RouteAccessSpec,
} from '@sanad/testing';
import type { DueTask } from '../src/application/get-follow-ups';
import { addDays } from '../src/domain/follow-up-plan';
import { DEFAULT_POLICY } from '../src/domain/follow-up-policy';
import { publicRouteCatalogue, routeCatalogue, routes } from '../src/http/routes';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const daysAgo = (n: number) => addDays(new Date().toISOString().slice(0, 10), -n);

/**
 * Every route x every role x a placement of the caller's own organisation or another's, plus every
 * way of not being authenticated. The service knows a placement's scope only from its
 * placement.recorded event, and plans its check-ins on placement.confirmed, so the target is made
 * by publishing both, for a placement that started 20 days ago (its day-14 check-in is due).
 */
describe('check-in service access matrix', () => {
  const admin = testCaller('admin');
  let checkin: RunningCheckin;
  let target: MatrixTarget;

  const request = (
    method: string,
    path: string,
    authorization: string | undefined,
    body?: unknown,
  ) =>
    fetch(`${checkin.url}${path}`, {
      method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const followUps = (placementId: string, authorization: string | undefined) =>
    request('GET', `/placements/${placementId}/follow-ups`, authorization);
  const policyPath = (programmeId: string) => `/programmes/${programmeId}/follow-up-policy`;
  /** A PUT changes the policy's version: each one sends the version read just before. */
  const putPolicy = async (programmeId: string, authorization: string | undefined) => {
    const current = (await (
      await request('GET', policyPath(programmeId), await bearerFor(admin, 'checkin'))
    ).json()) as { version: number };
    return request('PUT', policyPath(programmeId), authorization, {
      version: current.version,
      milestones: DEFAULT_POLICY.milestones,
      graceDays: DEFAULT_POLICY.graceDays,
      channels: DEFAULT_POLICY.channels,
      replanOpen: false,
    });
  };
  /**
   * The service knows no programmes: to an admin every programme has a policy (the default one at
   * least), so no admin request is "about a programme that does not exist". The reference 404 is
   * what a manager of an unrelated programme gets about a fresh programme id: a caller who may not
   * see the programme gets exactly that, whatever programme it is.
   */
  const missingProgramme = (method: 'GET' | 'PUT') => async () =>
    method === 'GET'
      ? request(
          'GET',
          policyPath(randomUUID()),
          await bearerFor(
            testCaller('programme-manager', { programmeIds: [randomUUID()] }),
            'checkin',
          ),
        )
      : putPolicy(
          randomUUID(),
          await bearerFor(
            testCaller('programme-manager', { programmeIds: [randomUUID()] }),
            'checkin',
          ),
        );

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.getFollowUps)]: {
      send: (t, authorization) => followUps(t.placementId, authorization),
      rules: SEE_OWN_ONLY,
    },
    [routeKey(routes.recordCheckin)]: {
      send: (t, authorization) =>
        request('POST', `/placements/${t.placementId}/checkins`, authorization, {
          contactType: 'phone',
          twoWay: false,
          answers: {},
        }),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'not-found' },
        coach: { own: 'allowed', other: 'not-found' },
        // An employer user never records a coach's contact: hidden like a missing placement.
        'employer-user': { own: 'not-found', other: 'not-found' },
      },
    },
    [routeKey(routes.listDue)]: {
      send: (_t, authorization) => request('GET', '/checkins/due?limit=500', authorization),
      lists: (body, t) =>
        ((body as { items?: DueTask[] }).items ?? []).some((i) => i.placementId === t.placementId),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'not-listed' },
        // `other`: another coach of the same programme, whose caseload it is not.
        coach: { own: 'allowed', other: 'not-listed' },
        // An employer user has no tasks: always `{ items: [] }`.
        'employer-user': { own: 'not-listed', other: 'not-listed' },
      },
    },
    [routeKey(routes.getPolicy)]: {
      send: (t, authorization) => request('GET', policyPath(t.scope.programmeId), authorization),
      sendMissing: missingProgramme('GET'),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'not-found' },
        // The matrix's `other` coach is another coach of the same programme, who reads its policy
        // as well; a coach of another programme gets 404 (tested below).
        coach: { own: 'allowed', other: 'allowed' },
        'employer-user': { own: 'not-found', other: 'not-found' },
      },
    },
    [routeKey(routes.putPolicy)]: {
      send: (t, authorization) => putPolicy(t.scope.programmeId, authorization),
      sendMissing: missingProgramme('PUT'),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'forbidden', other: 'not-found' },
        // As for getPolicy: a coach of the same programme sees the policy, so is refused (403);
        // a coach of another programme gets 404 (tested below).
        coach: { own: 'forbidden', other: 'forbidden' },
        'employer-user': { own: 'not-found', other: 'not-found' },
      },
    },
    // The audit log: admins only, hidden from anyone else like a route that does not exist.
    ...Object.fromEntries(
      Object.values(auditRouteRefs).map((route) => [
        routeKey(route),
        {
          send: (_t: MatrixTarget, authorization: string | undefined) =>
            request('GET', route.path, authorization),
          sendMissing: (authorization: string) => request('GET', '/no-such-route', authorization),
          rules: ADMIN_ONLY,
        } satisfies RouteAccessSpec,
      ]),
    ),
    [routeKey(routes.reconcile)]: {
      send: (_t, authorization) => request('POST', '/follow-ups/reconcile', authorization),
      // Admin-only, but refused openly (403) rather than hidden: the route is no secret.
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'forbidden', other: 'forbidden' },
        coach: { own: 'forbidden', other: 'forbidden' },
        'employer-user': { own: 'forbidden', other: 'forbidden' },
      },
    },
  };

  beforeAll(async () => {
    checkin = await startCheckin();
    const { recorded } = await checkin.follow({ startDate: daysAgo(20) });
    target = targetOf(recorded);
    await waitFor(
      async () =>
        (await checkin.followUps(target.placementId))?.checkins.some(
          (c) => c.milestoneDay === 14 && c.respondent === 'coach' && c.status === 'due',
        ),
      { what: "the target's day-14 check-in due" },
    );
  });
  afterAll(() => checkin.stop());

  it('registers exactly the routes of its catalogue and its public link routes, besides the probes and /metrics', () => {
    expect(registeredRoutes(checkin.service.app)).toEqual(
      sortRoutes([...PUBLIC_ROUTES, ...routeCatalogue, ...publicRouteCatalogue]),
    );
  });

  it.each(
    accessMatrixChecks({
      catalogue: routeCatalogue,
      specs,
      audience: ServiceAudiences.checkin,
      target: () => target,
    }),
  )('%s', async (_name, run) => {
    await run();
  });

  it('shows a plan whose placement.recorded has not arrived to admins only, then to its owners', async () => {
    const { publisher, statusAs } = checkin;
    const recorded = placementRecordedEvent({ startDate: '2031-04-01' });
    const { placementId, scope } = targetOf(recorded);
    const confirmed = createEvent(
      PlacementConfirmedV1,
      {
        placementId,
        terms: {
          jobTitle: 'Cook',
          startDate: '2031-04-01',
          hoursPerWeek: 30,
          wage: { amount: 300, currency: 'OMR', period: 'month' },
        },
        accommodations: [],
        confirmedBy: 'employer-link',
      },
      { producer: 'test', correlationId: randomUUID(), causationId: null },
      new Date(),
    );
    await publisher.publish([confirmed]);
    await waitFor(async () => (await statusAs(placementId, admin)) === 200, {
      what: 'the plan made from placement.confirmed',
    });
    for (const role of ['programme-manager', 'coach', 'employer-user'] as const) {
      expect([role, await statusAs(placementId, callerFor(role, 'own', scope))]).toEqual([
        role,
        404,
      ]);
    }

    await publisher.publish([recorded]);
    await waitFor(
      async () => (await statusAs(placementId, callerFor('coach', 'own', scope))) === 200,
      { what: 'the plan to learn its scope from placement.recorded' },
    );
    expect(await statusAs(placementId, callerFor('programme-manager', 'own', scope))).toBe(200);
    expect(await statusAs(placementId, callerFor('employer-user', 'own', scope))).toBe(200);
    expect(await statusAs(placementId, callerFor('coach', 'other', scope))).toBe(404);
  });

  it.each(['programme-manager', 'coach'] as const)(
    'hides the policy of another programme from a %s of it: 404 to read, 404 to change',
    async (role) => {
      const stranger = await bearerFor(
        testCaller(role, { programmeIds: [randomUUID()] }),
        'checkin',
      );
      const reference = await (await missingProgramme('GET')()).json();
      const read = await request('GET', policyPath(target.scope.programmeId), stranger);
      expect(read.status).toBe(404);
      expect(await read.json()).toEqual(reference);
      const change = await putPolicy(target.scope.programmeId, stranger);
      expect(change.status).toBe(404);
      expect(await change.json()).toEqual(reference);
    },
  );

  it('answers 400 naming the field for a malformed placement id, to an authenticated caller', async () => {
    const res = await followUps('nope', await bearerFor(admin, 'checkin'));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { problems: { path: string }[] } };
    expect(body.error.problems.map((p) => p.path)).toEqual(['params.placementId']);
  });
});
