import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import {
  CheckinScheduledV1,
  createEvent,
  dlqTopicOf,
  PlacementEndedV1,
  Topics,
  type Envelope,
} from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import { createEventPublisher, createKafka, DeadLetterHeaders } from '@sanad/messaging';
import {
  bearerFor,
  dropDatabases,
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
const ctx = () => ({ producer: 'test', correlationId: randomUUID(), causationId: null });

const recorded = (placementId: string) => placementRecordedEvent({ placementId });

const scheduled = (placementId: string, milestoneDay: number): Envelope =>
  createEvent(
    CheckinScheduledV1,
    {
      placementId,
      checkinId: randomUUID(),
      milestoneDay,
      dueDate: '2026-06-01',
      respondent: 'coach',
    },
    ctx(),
    new Date(),
  );

describe('alerting service consumers, on the real servers', () => {
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

  const facts = async (placementId: string) => {
    const res = await fetch(`${url}/placements/${placementId}/facts`, {
      headers: { authorization: await bearerFor(admin, 'alerting') },
    });
    return res.status === 200
      ? (
          (await res.json()) as {
            facts: { status: string; scheduledCheckinIds: string[]; endDate?: string };
          }
        ).facts
      : undefined;
  };
  const caughtUp = () =>
    Promise.all([
      waitForGroupCaughtUp(kafka, `${prefix}alerting.placement-events`, prefix + Topics.placement),
      waitForGroupCaughtUp(kafka, `${prefix}alerting.checkin-events`, prefix + Topics.checkin),
    ]);

  it('records each fact once when placement and check-in events are delivered twice', async () => {
    const placementId = randomUUID();
    const placed = recorded(placementId);
    const checkins = [scheduled(placementId, 7), scheduled(placementId, 14)];
    const ended = createEvent(
      PlacementEndedV1,
      { placementId, endDate: '2026-07-01', reason: 'resigned', initiatedBy: 'participant' },
      ctx(),
      new Date(),
    );
    await publisher.publish([placed, ...checkins, placed, ...checkins, ended, ended]);
    const found = await waitFor(
      async () => {
        const f = await facts(placementId);
        return f && f.status === 'ended' && f.scheduledCheckinIds.length >= 2 ? f : undefined;
      },
      { what: 'the facts of the placement' },
    );
    await caughtUp();
    expect(found.scheduledCheckinIds.sort()).toEqual(
      checkins.map((c) => (c.data as { checkinId: string }).checkinId).sort(),
    );
    expect(found.endDate).toBe('2026-07-01');
    const inbox = await db.collection('inbox').find({ eventId: placed.eventId }).toArray();
    expect(inbox).toHaveLength(1);
  });

  it('dead-letters a bad check-in event once and a bad placement event once, and goes on', async () => {
    const placementId = randomUUID();
    const badCheckin = { ...scheduled(placementId, 7), data: { placementId, milestoneDay: -3 } };
    await publisher.sendRaw(prefix + Topics.checkin, [
      { key: placementId, value: JSON.stringify(badCheckin) },
    ]);
    await publisher.sendRaw(prefix + Topics.placement, [
      { key: placementId, value: 'not json at all' },
    ]);
    const good = scheduled(placementId, 30);
    await publisher.publish([recorded(placementId), good]);
    await waitFor(async () => (await facts(placementId))?.scheduledCheckinIds.length === 1, {
      what: 'the good events',
    });
    await caughtUp();

    const [deadCheckin] = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.checkin), {
      count: 1,
    });
    expect(deadCheckin?.headers[DeadLetterHeaders.consumer]).toBe('alerting.checkin-events');
    expect(deadCheckin?.headers[DeadLetterHeaders.reason]).toMatch(/^schema: data\./);
    const deadPlacement = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), {
      count: 1,
    });
    expect(deadPlacement).toHaveLength(1);
    expect(deadPlacement[0]?.headers[DeadLetterHeaders.reason]).toBe('invalid JSON');
    expect((await facts(placementId))?.scheduledCheckinIds).toEqual([
      (good.data as { checkinId: string }).checkinId,
    ]);
  });
});
