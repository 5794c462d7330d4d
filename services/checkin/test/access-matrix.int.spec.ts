import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { ServiceAudiences, type Caller } from '@sanad/auth';
import { createEvent, PlacementConfirmedV1, Queues } from '@sanad/contracts';
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
import { startCheckinService } from '../src/main';

/**
 * Every route x every role x a placement of the caller's own organisation or another's, plus every
 * way of not being authenticated. The service knows a placement's scope only from its
 * placement.recorded event, so the target is made by publishing one.
 */
describe('check-in service access matrix', () => {
  const env = serviceTestEnv('checkin');
  const logger = createLogger({ service: 'test', level: 'silent' });
  const kafka = createKafka({ clientId: 'test', brokers: servers.kafkaBrokers, logger });
  const publisher = createEventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
  const admin = testCaller('admin');
  let service: Awaited<ReturnType<typeof startCheckinService>>;
  let url: string;
  let target: MatrixTarget;

  const followUps = (placementId: string, authorization: string | undefined) =>
    fetch(`${url}/placements/${placementId}/follow-ups`, {
      headers: authorization === undefined ? {} : { authorization },
    });
  const statusAs = async (placementId: string, caller: Caller) =>
    (await followUps(placementId, await bearerFor(caller, 'checkin'))).status;

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.getFollowUps)]: {
      send: (t, authorization) => followUps(t.placementId, authorization),
      rules: SEE_OWN_ONLY,
    },
  };

  beforeAll(async () => {
    service = await startCheckinService(loadConfig(env), (error) => {
      throw error;
    });
    await service.consumer.joined;
    await publisher.connect();
    url = `http://127.0.0.1:${service.port}`;
    const event = placementRecordedEvent({ startDate: '2031-03-01' });
    const { placementId, coachId, employerId, programmeId } = event.data;
    await publisher.publish([event]);
    await waitFor(async () => (await statusAs(placementId, admin)) === 200, {
      what: 'the follow-up plan of the target placement',
    });
    target = { placementId, scope: { coachId, employerId, programmeId } };
  });
  afterAll(async () => {
    await service.stop();
    await publisher.disconnect();
    const queue = new Queue(Queues.followUpDue, {
      connection: { url: servers.redisUrl },
      prefix: env.QUEUE_PREFIX,
    });
    await queue.obliterate({ force: true });
    await queue.close();
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
      audience: ServiceAudiences.checkin,
      target: () => target,
    }),
  )('%s', async (_name, run) => {
    await run();
  });

  it('shows a plan whose placement.recorded has not arrived to admins only, then to its owners', async () => {
    const recorded = placementRecordedEvent({ startDate: '2031-04-01' });
    const { placementId, coachId, employerId, programmeId } = recorded.data;
    const scope = { coachId, employerId, programmeId };
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
