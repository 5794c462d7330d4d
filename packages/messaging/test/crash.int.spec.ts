import { dlqTopicOf } from '@sanad/contracts';
import { testKafka, waitFor, waitForGroupCaughtUp } from '@sanad/testing';
import { createOutboxRelay, createWriteLocks, outboxPush, type OutboxDocument } from '../src';
import { spawnFixture, waitForLine } from './fixtures/spawn';
import { createHarness, recordedEvent, type Harness } from './harness';

describe('crashes at the worst moments, on the real broker and database', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const runs = (eventId: string) => h.db.collection('runs').countDocuments({ eventId });
  const effects = (eventId: string) =>
    h.db.collection('effects').countDocuments({ _id: eventId as never });

  it.each(['after-effect', 'before-commit'])(
    'a consumer SIGKILLed %s gets the event again and still has one effect',
    async (crash) => {
      const env = { TOPIC_PREFIX: h.prefix, DB_NAME: h.db.name, CRASH: crash };
      const doomed = spawnFixture('fixtures/consumer-process.ts', env);
      await waitForLine(doomed, 'joined');
      const event = recordedEvent();
      await h.publisher.publish([event]);
      expect((await doomed.exited).signal).toBe('SIGKILL');
      expect(await runs(event.eventId)).toBe(1);

      const survivor = spawnFixture('fixtures/consumer-process.ts', { ...env, CRASH: '' });
      try {
        await waitForLine(survivor, 'joined');
        await waitForGroupCaughtUp(h.kafka, `${h.prefix}crashing-counter`, h.topic, 45_000);
        expect(await effects(event.eventId)).toBe(1);
        // The run that claimed the event died before committing, so the next run cannot know
        // whether the effect happened: it handles the event again, and the idempotent effect holds.
        expect(await runs(event.eventId)).toBe(2);
      } finally {
        survivor.process.kill('SIGTERM');
        await survivor.exited;
      }
    },
  );

  it('an outbox relay killed after publishing and before marking sent leaves one effect downstream', async () => {
    const events = [recordedEvent(), recordedEvent(), recordedEvent()];
    const placements = h.db.collection<OutboxDocument>('placements');
    await placements.insertOne({ _id: 'aggregate-1', outbox: [] });
    await placements.updateOne({ _id: 'aggregate-1' }, { $push: outboxPush(events) as never });

    const relay = spawnFixture('fixtures/relay-process.ts', {
      TOPIC_PREFIX: h.prefix,
      DB_NAME: h.db.name,
    });
    expect((await relay.exited).signal).toBe('SIGKILL');
    const left = await placements.findOne({ _id: 'aggregate-1' });
    expect(left?.outbox).toHaveLength(3);

    await h.start();
    const second = createOutboxRelay({
      collections: [placements],
      publisher: h.publisher,
      locks: createWriteLocks(),
      logger: h.logger,
    });
    expect(await second.drain()).toBe(3);
    expect((await placements.findOne({ _id: 'aggregate-1' }))?.outbox).toEqual([]);

    for (const e of events)
      await waitFor(() => h.effects(e.key), { what: `effect of ${e.eventId}` });
    await waitForGroupCaughtUp(h.kafka, `${h.prefix}test-counter`, h.topic);
    const admin = testKafka().admin();
    await admin.connect();
    const published = await admin.fetchTopicOffsets(h.topic);
    const dead = await admin.fetchTopicOffsets(dlqTopicOf(h.topic));
    await admin.disconnect();
    expect(published.reduce((n, p) => n + Number(p.high), 0)).toBe(6); // each event went out twice
    expect(dead.map((p) => p.high)).toEqual(['0']);
    for (const e of events) expect(await h.effects(e.key)).toEqual({ count: 1, hours: [30] });
  });
});
