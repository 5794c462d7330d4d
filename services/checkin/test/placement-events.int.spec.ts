import { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { dlqTopicOf, Queues, Topics } from '@sanad/contracts';
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
import { startCheckinService } from '../src/main';

const admin = testCaller('admin');
const recorded = (startDate: string) => placementRecordedEvent({ startDate, jobTitle: 'Cook' });

describe('check-in service consuming placement events, on the real servers', () => {
  const env = serviceTestEnv('checkin');
  const prefix = env.KAFKA_TOPIC_PREFIX;
  const group = `${prefix}checkin.placement-events`;
  const logger = createLogger({ service: 'test', level: 'silent' });
  const kafka = createKafka({ clientId: 'test', brokers: servers.kafkaBrokers, logger });
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  let service: Awaited<ReturnType<typeof startCheckinService>>;
  let queue: Queue;
  let db: mongoose.Connection;
  let url: string;

  beforeAll(async () => {
    service = await startCheckinService(loadConfig(env), (error) => {
      throw error;
    });
    await service.consumer.joined;
    await publisher.connect();
    url = `http://127.0.0.1:${service.port}`;
    queue = new Queue(Queues.followUpDue, {
      connection: { url: servers.redisUrl },
      prefix: env.QUEUE_PREFIX,
    });
    db = await mongoose.createConnection(servers.mongoUrl, { dbName: env.MONGO_DB }).asPromise();
  });
  afterAll(async () => {
    await service.stop();
    await publisher.disconnect();
    await queue.obliterate({ force: true });
    await queue.close();
    await db.close();
    await dropDatabases([env.MONGO_DB]);
  });

  const followUps = async (placementId: string) => {
    const res = await fetch(`${url}/placements/${placementId}/follow-ups`, {
      headers: { authorization: await bearerFor(admin, 'checkin') },
    });
    return res.status === 200
      ? ((await res.json()) as {
          checkins: { status: string; job: { id: string; state: string } }[];
        })
      : undefined;
  };

  it('plans once and schedules one job per check-in when the same event arrives twice', async () => {
    const event = recorded('2030-01-01');
    await publisher.publish([event]);
    await publisher.publish([event]);
    const plan = await waitFor(
      async () => {
        const p = await followUps(event.key);
        return p && p.checkins.every((c) => c.job.state === 'delayed') ? p : undefined;
      },
      { what: 'the follow-up plan with its delayed jobs' },
    );
    await waitForGroupCaughtUp(kafka, group, prefix + Topics.placement);

    expect(plan.checkins).toHaveLength(16);
    const jobs = await queue.getJobs(['delayed']);
    const mine = jobs.filter((j) => j.data.placementId === event.key);
    expect(mine).toHaveLength(16);
    expect(mine.map((j) => j.id).sort()).toEqual(plan.checkins.map((c) => c.job.id).sort());
    expect(mine.find((j) => j.id === `${event.key}.d30.supervisor`)?.delay).toBeGreaterThan(0);

    const scheduled = await readTopic(testKafka(), prefix + Topics.checkin, { count: 16 });
    const mineScheduled = scheduled.filter((m) => m.key === event.key);
    expect(mineScheduled).toHaveLength(16);
    expect(new Set(mineScheduled.map((m) => JSON.parse(m.value ?? '{}').data.checkinId)).size).toBe(
      16,
    );
    expect(await db.collection('inbox').countDocuments({ eventId: event.eventId })).toBe(1);
  });

  it('marks past-due check-ins due at once, all of them, though their jobs fire together', async () => {
    const event = recorded('2020-01-01');
    await publisher.publish([event]);
    const plan = await waitFor(
      async () => {
        const p = await followUps(event.key);
        return p && p.checkins.every((c) => c.status === 'due') ? p : undefined;
      },
      { what: 'every check-in of a placement that started in 2020 to be due' },
    );
    expect(plan.checkins.every((c) => c.job.state === 'completed')).toBe(true);
    const stored = await db.collection('follow_up_plans').findOne({ _id: event.key as never });
    expect(
      Object.values(stored?.checkins ?? {}).every(
        (c) => (c as { status: string }).status === 'due',
      ),
    ).toBe(true);
  });

  it('dead-letters a malformed placement event once and goes on planning the next', async () => {
    const bad = recorded('2030-02-01');
    const good = recorded('2030-03-01');
    await publisher.sendRaw(prefix + Topics.placement, [
      {
        key: bad.key,
        value: JSON.stringify({ ...bad, data: { ...(bad.data as object), startDate: 'soon' } }),
      },
    ]);
    await publisher.publish([good]);
    await waitFor(() => followUps(good.key), { what: 'the plan for the good event' });
    await waitForGroupCaughtUp(kafka, group, prefix + Topics.placement);
    const dead = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), { count: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.startDate/);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('checkin.placement-events');
    expect(await followUps(bad.key)).toBeUndefined();
  });
});
