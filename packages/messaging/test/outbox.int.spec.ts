import { randomUUID } from 'node:crypto';
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
