import { randomUUID } from 'node:crypto';
import { ServiceAudiences } from '@sanad/auth';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes } from '@sanad/service-kit';
import {
  accessMatrixChecks,
  bearerFor,
  dropDatabases,
  routeKey,
  SEE_OWN_ONLY,
  serviceTestEnv,
  testCaller,
  type MatrixTarget,
  type RouteAccessSpec,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { routeCatalogue, routes } from '../src/http/routes';
import { startPlacementService } from '../src/main';

/**
 * Every route x every role x a placement of the caller's own organisation or another's, plus every
 * way of not being authenticated, against the real service.
 */
describe('placement service access matrix', () => {
  const env = serviceTestEnv('placement');
  let service: Awaited<ReturnType<typeof startPlacementService>>;
  let url: string;
  let target: MatrixTarget;

  const send = (
    path: string,
    authorization: string | undefined,
    init: { method?: string; body?: object } = {},
  ) =>
    fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });

  const placementBody = ({ scope }: MatrixTarget) => ({
    participantId: randomUUID(),
    ...scope,
    jobTitle: 'Receptionist',
    startDate: '2026-11-01',
    hoursPerWeek: 25,
    wage: { amount: 300, currency: 'OMR', period: 'month' },
  });

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.recordPlacement)]: {
      // Creating is not seeing: a refusal names no existing placement, so it is a 403.
      send: (t, authorization) =>
        send('/placements', authorization, { method: 'POST', body: placementBody(t) }),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'forbidden' },
        coach: { own: 'allowed', other: 'forbidden' },
        'employer-user': { own: 'forbidden', other: 'forbidden' },
      },
    },
    [routeKey(routes.getPlacement)]: {
      send: (t, authorization) => send(`/placements/${t.placementId}`, authorization),
      rules: SEE_OWN_ONLY,
    },
    [routeKey(routes.listPlacements)]: {
      send: (_t, authorization) => send('/placements?limit=100', authorization),
      lists: (body, t) =>
        (body as { placements: { id: string }[] }).placements.some((p) => p.id === t.placementId),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'not-listed' },
        coach: { own: 'allowed', other: 'not-listed' },
        'employer-user': { own: 'allowed', other: 'not-listed' },
      },
    },
  };

  beforeAll(async () => {
    service = await startPlacementService(loadConfig(env));
    url = `http://127.0.0.1:${service.port}`;
    const scope = { coachId: randomUUID(), employerId: randomUUID(), programmeId: randomUUID() };
    const res = await send('/placements', await bearerFor(testCaller('admin'), 'placement'), {
      method: 'POST',
      body: placementBody({ placementId: '', scope }),
    });
    expect(res.status).toBe(201);
    target = {
      placementId: ((await res.json()) as { placement: { id: string } }).placement.id,
      scope,
    };
  });
  afterAll(async () => {
    await service.stop();
    await dropDatabases([env.MONGO_DB]);
  });

  it('registers exactly the routes of its catalogue, besides the probes and /metrics', () => {
    expect(registeredRoutes(service.app)).toEqual(
      sortRoutes([...PUBLIC_ROUTES, ...routeCatalogue]),
    );
  });

  it.each(
    accessMatrixChecks({
      catalogue: routeCatalogue,
      specs,
      audience: ServiceAudiences.placement,
      target: () => target,
    }),
  )('%s', async (_name, run) => {
    await run();
  });
});
