import { randomUUID } from 'node:crypto';
import { ServiceAudiences } from '@sanad/auth';
import { createEvent, PlacementConfirmedV1 } from '@sanad/contracts';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes } from '@sanad/service-kit';
import {
  accessMatrixChecks,
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
import { routeCatalogue, routes } from '../src/http/routes';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

/**
 * Every route x every role x a placement of the caller's own organisation or another's, plus every
 * way of not being authenticated. The service knows a placement's scope only from its
 * placement.recorded event, so the target is made by publishing one.
 */
describe('check-in service access matrix', () => {
  const admin = testCaller('admin');
  let checkin: RunningCheckin;
  let target: MatrixTarget;

  const followUps = (placementId: string, authorization: string | undefined) =>
    fetch(`${checkin.url}/placements/${placementId}/follow-ups`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.getFollowUps)]: {
      send: (t, authorization) => followUps(t.placementId, authorization),
      rules: SEE_OWN_ONLY,
    },
  };

  beforeAll(async () => {
    checkin = await startCheckin();
    target = targetOf(await checkin.publishRecorded({ startDate: '2031-03-01' }));
  });
  afterAll(() => checkin.stop());

  it('registers exactly the routes of its catalogue, besides the probes and /metrics', () => {
    expect(registeredRoutes(checkin.service.app)).toEqual(
      sortRoutes([...PUBLIC_ROUTES, ...routeCatalogue]),
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

  it('answers 400 naming the field for a malformed placement id, to an authenticated caller', async () => {
    const res = await followUps('nope', await bearerFor(admin, 'checkin'));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { problems: { path: string }[] } };
    expect(body.error.problems.map((p) => p.path)).toEqual(['params.placementId']);
  });
});
