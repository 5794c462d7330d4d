import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Caller } from '@sanad/auth';
import { dlqTopicOf, Topics } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import { createEventPublisher, createKafka, DeadLetterHeaders } from '@sanad/messaging';
import {
  bearerFor,
  dropDatabases,
  placementCoachChangedEvent,
  placementRecordedEvent,
  readTopic,
  serviceTestEnv,
  servers,
  testCaller,
  testKafka,
  waitFor,
  waitForGroupCaughtUp,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { startAlertingService } from '../src/main';

const admin = testCaller('admin');
const coach = (userId: string): Caller => testCaller('coach', { userId });

/**
 * A placement moved to another coach's caseload (placement.changed, coachId): the alerting service
 * keeps the new coach in the placement's facts, in order with its other events, so the old coach
 * no longer sees them and the new one does.
 */
describe('alerting service following a coach change, on the real servers', () => {
  const env = serviceTestEnv('alerting');
  const prefix = env.KAFKA_TOPIC_PREFIX;
  const logger = createLogger({ service: 'test', level: 'silent' });
  const kafka = createKafka({ clientId: 'test', brokers: servers.kafkaBrokers, logger });
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  let service: Awaited<ReturnType<typeof startAlertingService>>;
  let db: mongoose.Connection;
  let url: string;

  beforeAll(async () => {
    service = await startAlertingService(loadConfig(env), (error) => {
      throw error;
    });
    await Promise.all(service.consumers.map((c) => c.joined));
    await publisher.connect();
    url = `http://127.0.0.1:${service.port}`;
    db = await mongoose.createConnection(servers.mongoUrl, { dbName: env.MONGO_DB }).asPromise();
  });
  afterAll(async () => {
    await service.stop();
    await publisher.disconnect();
    await db.close();
    await dropDatabases([env.MONGO_DB]);
  });

  const factsAs = async (placementId: string, caller: Caller) => {
    const res = await fetch(`${url}/placements/${placementId}/facts`, {
      headers: { authorization: await bearerFor(caller, 'alerting') },
    });
    return {
      status: res.status,
      facts:
        res.status === 200
          ? ((await res.json()) as { facts: Record<string, unknown> }).facts
          : undefined,
    };
  };
  const statusAs = async (placementId: string, caller: Caller) =>
    (await factsAs(placementId, caller)).status;
  const caughtUp = () =>
    waitForGroupCaughtUp(kafka, `${prefix}alerting.placement-events`, prefix + Topics.placement);

  it('moves the facts to the new coach once when the change is delivered twice', async () => {
    const recorded = placementRecordedEvent({ startDate: '2031-04-01' });
    const { placementId, coachId: oldCoach, employerId, programmeId } = recorded.data;
    const newCoach = randomUUID();
    await publisher.publish([recorded]);
    await waitFor(async () => (await statusAs(placementId, coach(oldCoach))) === 200, {
      what: 'the facts, seen by the coach',
    });
    expect(await statusAs(placementId, coach(newCoach))).toBe(404);

    const change = placementCoachChangedEvent({
      placementId,
      coach: { before: oldCoach, after: newCoach },
    });
    await publisher.publish([change]);
    await publisher.publish([change]);
    await waitFor(async () => (await statusAs(placementId, coach(newCoach))) === 200, {
      what: 'the new coach to see the facts',
    });
    await caughtUp();

    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
    expect((await factsAs(placementId, admin)).facts).toMatchObject({
      coachId: newCoach,
      coachChangedAt: change.occurredAt,
      employerId,
      programmeId,
      status: 'recorded',
    });
    expect(
      await db
        .collection('inbox')
        .countDocuments({ consumer: 'alerting.placement-events', eventId: change.eventId }),
    ).toBe(1);
  });

  it('passes over an older change arriving late', async () => {
    const recorded = placementRecordedEvent({ startDate: '2031-04-02' });
    const { placementId, coachId: first } = recorded.data;
    const [second, third] = [randomUUID(), randomUUID()];
    const now = Date.now();
    await publisher.publish([
      recorded,
      placementCoachChangedEvent({
        placementId,
        coach: { before: second, after: third },
        at: new Date(now),
      }),
      placementCoachChangedEvent({
        placementId,
        coach: { before: first, after: second },
        at: new Date(now - 60_000),
      }),
    ]);
    await waitFor(async () => (await statusAs(placementId, coach(third))) === 200, {
      what: 'the latest coach to see the facts',
    });
    await caughtUp();
    expect(await statusAs(placementId, coach(second))).toBe(404);
    expect(await statusAs(placementId, coach(first))).toBe(404);
  });

  it('keeps a change that arrives before its placement, over the coach placement.recorded carries', async () => {
    const recorded = placementRecordedEvent({ startDate: '2031-04-03' });
    const { placementId, coachId: oldCoach, employerId } = recorded.data;
    const newCoach = randomUUID();
    await publisher.publish([
      placementCoachChangedEvent({ placementId, coach: { before: oldCoach, after: newCoach } }),
    ]);
    await waitFor(async () => (await factsAs(placementId, admin)).facts, {
      what: 'the coach kept before placement.recorded',
    });
    // No whole scope yet: only an admin sees these facts.
    expect(await statusAs(placementId, coach(newCoach))).toBe(404);

    await publisher.publish([recorded]);
    await waitFor(async () => (await statusAs(placementId, coach(newCoach))) === 200, {
      what: 'the facts complete, with the new coach',
    });
    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
    expect((await factsAs(placementId, admin)).facts).toMatchObject({
      coachId: newCoach,
      employerId,
      status: 'recorded',
    });
  });

  it('dead-letters a malformed coach change once and goes on with the next', async () => {
    const recorded = placementRecordedEvent({ startDate: '2031-04-04' });
    const { placementId, coachId: oldCoach } = recorded.data;
    await publisher.publish([recorded]);
    await waitFor(async () => (await statusAs(placementId, coach(oldCoach))) === 200, {
      what: 'the facts',
    });
    const bad = placementCoachChangedEvent({ placementId, coach: { before: oldCoach } });
    const goodCoach = randomUUID();
    await publisher.sendRaw(prefix + Topics.placement, [
      {
        key: bad.key,
        value: JSON.stringify({
          ...bad,
          data: {
            ...bad.data,
            changes: [{ field: 'coachId', before: oldCoach, after: 'Coach Salim' }],
          },
        }),
      },
    ]);
    await publisher.publish([
      placementCoachChangedEvent({ placementId, coach: { before: oldCoach, after: goodCoach } }),
    ]);
    await waitFor(async () => (await statusAs(placementId, coach(goodCoach))) === 200, {
      what: 'the good change after the bad one',
    });
    await caughtUp();
    const dead = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), { count: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('alerting.placement-events');
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.changes\.0\.after/);
    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
  });
});
