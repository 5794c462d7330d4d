import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { Topics } from '@sanad/contracts';
import {
  collectEvents,
  createTestDatabase,
  createTopics,
  testKafka,
  uniqueName,
  waitFor,
  type EventCollector,
  type TestDatabase,
} from '@sanad/testing';
import {
  createEventPublisher,
  createOutboxRelay,
  createWriteLocks,
  outboxPush,
  toOutboxEntries,
  type OutboxDocument,
  type OutboxRelay,
} from '../src';
import { logger, recordedEvent } from './harness';

/**
 * The relay after a write: told which document was written, it reads that one by id and publishes
 * its events, without looking through the collection (a full scan on FerretDB 1.x); told nothing,
 * it looks through everything, as its periodic poll does after a crash.
 */
describe('outbox relay nudged after a write, on the real broker and database', () => {
  const kafka = testKafka();
  const prefix = `${uniqueName('outbox')}.`;
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  let database: TestDatabase;
  let relay: OutboxRelay;
  let published: EventCollector;

  beforeAll(async () => {
    database = await createTestDatabase('outbox');
    await createTopics(kafka, [prefix + Topics.placement]);
    await publisher.connect();
    relay = createOutboxRelay({
      collections: [database.db.collection<OutboxDocument>('aggregates') as never],
      publisher,
      locks: createWriteLocks(),
      logger,
      pollIntervalMs: 3_600_000, // never, in this test: only nudges move events
    });
    published = await collectEvents(kafka, prefix + Topics.placement);
  });
  afterAll(async () => {
    await relay.stop();
    await published.stop();
    await publisher.disconnect();
    await database.close();
  });

  const aggregates = () => database.db.collection<OutboxDocument>('aggregates');
  const pending = async (id: string) =>
    (await aggregates().findOne({ _id: id }))?.outbox?.length ?? 0;

  it('publishes the named document’s events in order, and leaves the others for a full round', async () => {
    const written = randomUUID();
    const other = randomUUID();
    const first = recordedEvent(written, 20);
    const second = recordedEvent(written, 25);
    const unannounced = recordedEvent(other);
    await aggregates().insertMany([
      { _id: written, outbox: toOutboxEntries([first, second]) },
      { _id: other, outbox: toOutboxEntries([unannounced]) },
    ]);

    relay.nudge({ collection: 'aggregates', id: written });
    await waitFor(async () => (await pending(written)) === 0, { what: 'the written one sent' });
    await published.readAll();
    expect(published.events.map((e) => e.event.eventId)).toEqual([first.eventId, second.eventId]);
    expect(await pending(other)).toBe(1);

    relay.nudge();
    await waitFor(async () => (await pending(other)) === 0, { what: 'the other one sent' });
    await published.readAll();
    expect(published.events.map((e) => e.event.eventId)).toEqual([
      first.eventId,
      second.eventId,
      unannounced.eventId,
    ]);
  });

  it('does nothing for a named document that has nothing pending', async () => {
    const id = randomUUID();
    await aggregates().insertOne({ _id: id, outbox: [] });
    const before = published.events.length;
    relay.nudge({ collection: 'aggregates', id });
    await relay.stop(); // waits for the round in flight
    expect(published.events.length).toBe(before);
    relay.start();
  });
});

/**
 * On FerretDB 1.x marking sent (an update by _id) scans the collection while holding its write
 * lock, and the look for unannounced work is a full scan: the relay marks when no nudge comes, and
 * looks less often while looking finds nothing it was not told about.
 */
describe('outbox relay under load: marks wait for a quiet moment, looks back off', () => {
  const kafka = testKafka();
  const prefix = `${uniqueName('outbox-load')}.`;
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  let database: TestDatabase;
  let published: EventCollector;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('outbox_load');
    await createTopics(kafka, [prefix + Topics.placement]);
    await publisher.connect();
    published = await collectEvents(kafka, prefix + Topics.placement);
  });
  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await published.stop();
    await publisher.disconnect();
    await database.close();
  });

  const collection = (name: string) => database.db.collection<OutboxDocument>(name);
  const relayOn = (
    aggregates: Collection<OutboxDocument>,
    options: Partial<Parameters<typeof createOutboxRelay>[0]> = {},
  ) => {
    const relay = createOutboxRelay({
      collections: [aggregates],
      publisher,
      locks: createWriteLocks(),
      logger,
      pollIntervalMs: 3_600_000,
      ...options,
    });
    relays.push(relay);
    return relay;
  };
  const outboxOf = async (aggregates: Collection<OutboxDocument>, id: string) =>
    ((await aggregates.findOne({ _id: id }))?.outbox ?? []).map((e) => e.eventId);
  const sent = (id: string) => published.events.filter((e) => e.key === id);
  const idsSent = (id: string) => sent(id).map((e) => e.event.eventId);

  it('publishes at once, marks later, and never sends a published entry again meanwhile', async () => {
    const aggregates = collection('marks_later');
    const relay = relayOn(aggregates, { markDelayMs: 3_600_000 });
    const id = randomUUID();
    const first = recordedEvent(id, 20);
    await aggregates.insertOne({ _id: id, outbox: toOutboxEntries([first]) });
    relay.nudge({ collection: aggregates.collectionName, id });
    await waitFor(() => sent(id).length === 1, { what: 'the first event out' });
    expect(await outboxOf(aggregates, id)).toEqual([first.eventId]); // not marked yet

    // a later write to the same document: only the new event goes out, after the first
    const second = recordedEvent(id, 25);
    await aggregates.updateOne({ _id: id }, { $push: outboxPush([second]) as never });
    relay.nudge({ collection: aggregates.collectionName, id });
    await waitFor(() => sent(id).length === 2, { what: 'the second event out' });
    expect(idsSent(id)).toEqual([first.eventId, second.eventId]);

    // drain marks everything published, and publishes nothing twice
    expect(await relay.drain()).toBe(0);
    expect(await outboxOf(aggregates, id)).toEqual([]);
    await published.readAll();
    expect(idsSent(id)).toEqual([first.eventId, second.eventId]);
  });

  it('marks once no nudge has come for markDelayMs', async () => {
    const aggregates = collection('marks_when_quiet');
    const relay = relayOn(aggregates, { markDelayMs: 100 });
    const id = randomUUID();
    await aggregates.insertOne({ _id: id, outbox: toOutboxEntries([recordedEvent(id)]) });
    relay.nudge({ collection: aggregates.collectionName, id });
    await waitFor(async () => (await outboxOf(aggregates, id)).length === 0, {
      what: 'the entry marked sent',
    });
    expect(sent(id)).toHaveLength(1);
  });

  it('keeps at most maxUnmarked documents waiting for their marks', async () => {
    const aggregates = collection('marks_bounded');
    const relay = relayOn(aggregates, { markDelayMs: 3_600_000, maxUnmarked: 1 });
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) {
      await aggregates.insertOne({ _id: id, outbox: toOutboxEntries([recordedEvent(id)]) });
      relay.nudge({ collection: aggregates.collectionName, id });
      await waitFor(() => sent(id).length === 1, { what: `the event of ${id} out` });
    }
    // the oldest are marked as part of the rounds; the newest one waits for a quiet moment
    const waiting = async () =>
      (await Promise.all(ids.map((id) => outboxOf(aggregates, id)))).map((e) => e.length);
    await waitFor(async () => (await waiting()).join() === '0,0,1', { what: 'two marked' });
    await relay.stop(); // marks what is left
    expect(await waiting()).toEqual([0, 0, 0]);
    await published.readAll();
    for (const id of ids) expect(sent(id)).toHaveLength(1);
  });

  it('marks what is published when stopped, so a restart sends nothing again', async () => {
    const aggregates = collection('marks_at_stop');
    const relay = relayOn(aggregates, { markDelayMs: 3_600_000 });
    const id = randomUUID();
    await aggregates.insertOne({ _id: id, outbox: toOutboxEntries([recordedEvent(id)]) });
    relay.nudge({ collection: aggregates.collectionName, id });
    await waitFor(() => sent(id).length === 1, { what: 'the event out' });
    expect(await outboxOf(aggregates, id)).toHaveLength(1);
    await relay.stop();
    expect(await outboxOf(aggregates, id)).toEqual([]);
  });

  it('looks less often while it finds nothing unannounced, and at its pace again after a leftover', async () => {
    const aggregates = collection('looks');
    const looks: number[] = [];
    // the real collection, noting when each look (a find of every pending document) starts
    const counted = new Proxy(aggregates, {
      get(target, property, receiver) {
        if (property === 'find') {
          return (...args: Parameters<typeof target.find>) => {
            looks.push(Date.now());
            return target.find(...args);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const gaps = (from: number) =>
      looks.slice(from + 1).map((at, i) => at - (looks[from + i] ?? at));
    const relay = relayOn(counted, { pollIntervalMs: 50, maxPollIntervalMs: 400 });
    relay.start();
    await waitFor(() => looks.length >= 6, { what: 'six looks', timeoutMs: 10_000 });
    // doubling from 50 ms to at most 400 ms: 50, 100, 200, 400, 400 (give or take the look itself)
    const quiet = gaps(0).slice(0, 5);
    expect(quiet[3]).toBeGreaterThanOrEqual(350);
    expect(quiet[3]).toBeGreaterThan(2 * (quiet[0] as number));

    // a leftover (an old event nobody announced, as after a crash) is found by the next look...
    const id = randomUUID();
    const old = { ...recordedEvent(id), occurredAt: new Date(Date.now() - 60_000).toISOString() };
    await aggregates.insertOne({ _id: id, outbox: toOutboxEntries([old]) });
    await waitFor(() => sent(id).length === 1, { what: 'the leftover out', timeoutMs: 5_000 });
    // ...and the next look comes at the first pace again, 50 ms after it, not 400
    const found = looks.length - 1;
    await waitFor(() => looks.length >= found + 2, { what: 'the next look', timeoutMs: 5_000 });
    expect(gaps(found)[0]).toBeLessThan(250);
    await relay.stop();
  });
});
