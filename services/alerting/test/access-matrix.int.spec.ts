import { randomUUID } from 'node:crypto';
import { ServiceAudiences } from '@sanad/auth';
import { CheckinScheduledV1, createEvent } from '@sanad/contracts';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes } from '@sanad/service-kit';
import {
  accessMatrixChecks,
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
import { startAlerting, type RunningAlerting } from './support/start-alerting';

/**
 * Every route x every role x a placement of the caller's own organisation or another's, plus every
 * way of not being authenticated. The service knows a placement's scope only from its
 * placement.recorded event, so the target is made by publishing one.
 */
describe('alerting service access matrix', () => {
  const admin = testCaller('admin');
  let alerting: RunningAlerting;
  let target: MatrixTarget;

  const facts = (placementId: string, authorization: string | undefined) =>
    fetch(`${alerting.url}/placements/${placementId}/facts`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.getFacts)]: {
      send: (t, authorization) => facts(t.placementId, authorization),
      rules: SEE_OWN_ONLY,
    },
  };

  beforeAll(async () => {
    alerting = await startAlerting();
    target = targetOf(await alerting.publishRecorded());
  });
  afterAll(() => alerting.stop());

  it('registers exactly the routes of its catalogue, besides the probes and /metrics', () => {
    expect(registeredRoutes(alerting.service.app)).toEqual(
      sortRoutes([...PUBLIC_ROUTES, ...routeCatalogue]),
    );
  });

  it.each(
    accessMatrixChecks({
      catalogue: routeCatalogue,
      specs,
      audience: ServiceAudiences.alerting,
      target: () => target,
    }),
  )('%s', async (_name, run) => {
    await run();
  });

  it('keeps the employer of the placement among the facts', async () => {
    expect(await alerting.facts(target.placementId)).toMatchObject(target.scope);
  });

  it('shows facts gathered before placement.recorded to admins only, then to their owners', async () => {
    const { publisher, statusAs } = alerting;
    const recorded = placementRecordedEvent();
    const { placementId, scope } = targetOf(recorded);
    // A check-in event can overtake placement.recorded: they travel on different topics.
    const scheduled = createEvent(
      CheckinScheduledV1,
      {
        placementId,
        checkinId: randomUUID(),
        milestoneDay: 7,
        dueDate: '2026-06-01',
        respondent: 'coach',
      },
      { producer: 'test', correlationId: randomUUID(), causationId: null },
      new Date(),
    );
    await publisher.publish([scheduled]);
    await waitFor(async () => (await statusAs(placementId, admin)) === 200, {
      what: 'facts from checkin.scheduled alone',
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
      { what: 'the facts to learn their scope from placement.recorded' },
    );
    expect(await statusAs(placementId, callerFor('programme-manager', 'own', scope))).toBe(200);
    expect(await statusAs(placementId, callerFor('employer-user', 'own', scope))).toBe(200);
    expect(await statusAs(placementId, callerFor('employer-user', 'other', scope))).toBe(404);
  });
});
