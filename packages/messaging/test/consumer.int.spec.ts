import { randomUUID } from 'node:crypto';
import { dlqTopicOf, eventSchema, PlacementRecordedV1, Topics } from '@sanad/contracts';
import { readTopic, testKafka, waitFor, waitForGroupCaughtUp } from '@sanad/testing';
import { DeadLetterHeaders, defineConsumer, toKafkaMessage } from '../src';
import { createHarness, recordedEvent, type Harness } from './harness';

describe('defineConsumer on the real broker and database', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('has one effect for an event delivered twice in one batch and again in a later batch', async () => {
    const event = recordedEvent();
    const marker = recordedEvent();
    await h.publisher.publish([event, event]);
    await h.start();
    await h.publisher.publish([event, marker]);
    await waitFor(() => h.effects(marker.key), { what: 'the marker event' });
    await waitForGroupCaughtUp(h.kafka, `${h.prefix}test-counter`, h.topic);
    expect(await h.effects(event.key)).toEqual({ count: 1, hours: [30] });
  });

  it('passes over a duplicate that arrives after a restart, once the original was committed', async () => {
    const event = recordedEvent();
    const firstRun = await h.start();
    await h.publisher.publish([event]);
    await waitFor(() => h.effects(event.key), { what: 'the first delivery' });
    await waitForGroupCaughtUp(h.kafka, `${h.prefix}test-counter`, h.topic);
    await firstRun.stop();

    await h.start();
    const marker = recordedEvent();
    await h.publisher.publish([event, marker]);
    await waitFor(() => h.effects(marker.key), { what: 'the marker after the duplicate' });
    await waitForGroupCaughtUp(h.kafka, `${h.prefix}test-counter`, h.topic);
    expect(await h.effects(event.key)).toEqual({ count: 1, hours: [30] });
  });

  it('sends a poison message to the DLQ once, with the reason, and goes on to the next', async () => {
    await h.start();
    const good = recordedEvent();
    const badSchema = recordedEvent();
    const wrong = { ...badSchema, data: { ...(badSchema.data as object), hoursPerWeek: 500 } };
    await h.publisher.sendRaw(h.topic, [
      { key: good.key, value: '{"this is": not json' },
      { ...toKafkaMessage(badSchema), value: JSON.stringify(wrong) },
    ]);
    await h.publisher.publish([good]);
    await waitFor(() => h.effects(good.key), { what: 'the good event after the poison' });
    await waitForGroupCaughtUp(h.kafka, `${h.prefix}test-counter`, h.topic);

    const dead = await readTopic(testKafka(), dlqTopicOf(h.topic), { count: 2 });
    expect(dead).toHaveLength(2);
    const reasons = dead.map((m) => m.headers[DeadLetterHeaders.reason]).sort();
    expect(reasons[0]).toMatch(/^invalid JSON/);
    expect(reasons[1]).toMatch(/^schema: data\.hoursPerWeek/);
    for (const m of dead) {
      expect(m.headers[DeadLetterHeaders.originalTopic]).toBe(h.topic);
      expect(m.headers[DeadLetterHeaders.originalOffset]).toMatch(/^\d+$/);
      expect(m.headers[DeadLetterHeaders.originalPartition]).toMatch(/^\d+$/);
    }
    expect(dead.find((m) => m.value?.includes('not json'))?.key).toBe(good.key);
    expect(await h.effects(badSchema.key)).toBeNull();
  });

  it('dead-letters an event its handler keeps refusing, and keeps the others', async () => {
    await h.start();
    const refused = recordedEvent();
    const refusedEvent = { ...refused, data: { ...(refused.data as object), jobTitle: 'throw' } };
    const after = recordedEvent();
    await h.publisher.publish([refusedEvent as typeof refused, after]);
    await waitFor(() => h.effects(after.key), { what: 'the event after the refused one' });
    const [dead] = await readTopic(testKafka(), dlqTopicOf(h.topic), { count: 1 });
    expect(dead?.headers[DeadLetterHeaders.reason]).toMatch(
      /failed 2 times: Error: handler refuses/,
    );
    expect(JSON.parse(dead?.value ?? '{}').eventId).toBe(refused.eventId);
  });

  it('gives up after repeated crashes when a dependency stays away, without dead-lettering', async () => {
    const fatal: unknown[] = [];
    const dbAway = Object.assign(new Error('connection refused'), { name: 'MongoNetworkError' });
    await h.start(
      defineConsumer({
        name: 'always-down',
        topic: Topics.placement,
        schema: eventSchema(PlacementRecordedV1),
        handle: async () => {
          throw dbAway;
        },
      }),
      { maxCrashRestarts: 1, onFatal: (error) => fatal.push(error) },
    );
    const event = recordedEvent();
    await h.publisher.publish([event]);
    await waitFor(() => fatal.length > 0, { timeoutMs: 50_000, what: 'the consumer to give up' });
    expect(fatal).toHaveLength(1);
    const admin = testKafka().admin();
    await admin.connect();
    const dead = await admin.fetchTopicOffsets(dlqTopicOf(h.topic));
    const [committed] = await admin.fetchOffsets({
      groupId: `${h.prefix}always-down`,
      topics: [h.topic],
    });
    await admin.disconnect();
    expect(dead.map((o) => o.high)).toEqual(['0']); // the message is not at fault
    expect(committed?.partitions.every((p) => p.offset === '-1')).toBe(true); // nor given up on
  });

  it('keeps the order of one placement across many events and partitions', async () => {
    await h.start();
    const placementId = randomUUID();
    const others = Array.from({ length: 20 }, () => recordedEvent());
    const mine = Array.from({ length: 30 }, (_, i) => recordedEvent(placementId, i + 1));
    const interleaved = mine.flatMap((e, i) => (others[i] ? [e, others[i]] : [e]));
    for (let i = 0; i < interleaved.length; i += 7)
      await h.publisher.publish(interleaved.slice(i, i + 7));
    const effects = await waitFor(
      async () => {
        const e = await h.effects(placementId);
        return e && e.count === 30 ? e : undefined;
      },
      { what: '30 events of one placement' },
    );
    expect(effects.hours).toEqual(mine.map((_, i) => i + 1));
  });

  it('passes over event types it does not handle without dead-lettering them', async () => {
    await h.start();
    const other = { ...recordedEvent(), type: 'placement.ended', version: 1 };
    const after = recordedEvent();
    await h.publisher.sendRaw(h.topic, [{ key: other.key, value: JSON.stringify(other) }]);
    await h.publisher.publish([after]);
    await waitFor(() => h.effects(after.key), { what: 'the next event' });
    await waitForGroupCaughtUp(h.kafka, `${h.prefix}test-counter`, h.topic);
    const admin = testKafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(dlqTopicOf(h.topic));
    await admin.disconnect();
    expect(offsets.map((o) => o.high)).toEqual(['0']);
  });
});
