import { randomUUID } from 'node:crypto';
import { ServiceAudiences, type Caller } from '@sanad/auth';
import { CheckinScheduledV1, createEvent } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import { createEventPublisher, createKafka } from '@sanad/messaging';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes } from '@sanad/service-kit';
import {
  accessMatrixChecks,
  bearerFor,
  callerFor,
  dropDatabases,
  placementRecordedEvent,
  routeKey,
  SEE_OWN_ONLY,
  servers,
  serviceTestEnv,
  testCaller,
  waitFor,
  type MatrixTarget,
  type RouteAccessSpec,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { routeCatalogue, routes } from '../src/http/routes';
import { startAlertingService } from '../src/main';

/**
 * Every route x every role x a placement of the caller's own organisation or another's, plus every
 * way of not being authenticated. The service knows a placement's scope only from its
 * placement.recorded event, so the target is made by publishing one.
 */
describe('alerting service access matrix', () => {
  const env = serviceTestEnv('alerting');
  const logger = createLogger({ service: 'test', level: 'silent' });
  const kafka = createKafka({ clientId: 'test', brokers: servers.kafkaBrokers, logger });
  const publisher = createEventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
  const admin = testCaller('admin');
  let service: Awaited<ReturnType<typeof startAlertingService>>;
  let url: string;
  let target: MatrixTarget;

  const facts = (placementId: string, authorization: string | undefined) =>
    fetch(`${url}/placements/${placementId}/facts`, {
      headers: authorization === undefined ? {} : { authorization },
    });
  const statusAs = async (placementId: string, caller: Caller) =>
    (await facts(placementId, await bearerFor(caller, 'alerting'))).status;

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.getFacts)]: {
      send: (t, authorization) => facts(t.placementId, authorization),
      rules: SEE_OWN_ONLY,
    },
  };

  beforeAll(async () => {
    service = await startAlertingService(loadConfig(env), (error) => {
      throw error;
    });
    await Promise.all(service.consumers.map((c) => c.joined));
    await publisher.connect();
    url = `http://127.0.0.1:${service.port}`;
    const event = placementRecordedEvent();
    const { placementId, coachId, employerId, programmeId } = event.data;
    await publisher.publish([event]);
    await waitFor(async () => (await statusAs(placementId, admin)) === 200, {
      what: 'the facts of the target placement',
    });
    target = { placementId, scope: { coachId, employerId, programmeId } };
  });
  afterAll(async () => {
    await service.stop();
    await publisher.disconnect();
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
      audience: ServiceAudiences.alerting,
      target: () => target,
    }),
  )('%s', async (_name, run) => {
    await run();
  });

  it('keeps the employer of the placement among the facts', async () => {
    const res = await facts(target.placementId, await bearerFor(admin, 'alerting'));
    expect(((await res.json()) as { facts: object }).facts).toMatchObject(target.scope);
  });

  it('shows facts gathered before placement.recorded to admins only, then to their owners', async () => {
    const recorded = placementRecordedEvent();
    const { placementId, coachId, employerId, programmeId } = recorded.data;
    const scope = { coachId, employerId, programmeId };
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
