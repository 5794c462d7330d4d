import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createEvent, PlacementConsentChangedV1, type Envelope } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createOutboxRelay,
  createWriteLocks,
  toOutboxEntries,
  type EventPublisher,
  type OutboxDocument,
} from '@sanad/messaging';
import { createTestDatabase, type TestDatabase } from '@sanad/testing';
import { createPlacementOutboxForwarder } from '../src/messaging/placement-outbox.forwarder';

/**
 * The participants' relay moves placement.consent-changed events from the participant's outbox
 * into each placement's outbox. Killed between moving them and removing them from the
 * participant, it moves them again on its next round, and each placement still holds one copy.
 */
describe('moving consent changes into the placements outboxes, on the real database', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let database: TestDatabase;
  let db: Connection;
  beforeAll(async () => {
    database = await createTestDatabase('fan-out');
    db = database.db;
  });
  afterAll(() => database.close());

  const consentChanged = (placementId: string, participantId: string): Envelope =>
    createEvent(
      PlacementConsentChangedV1,
      {
        placementId,
        participantId,
        consents: { followUp: false, employerContact: true, reportingByCategory: false },
        changedAt: new Date().toISOString(),
      },
      { producer: 'placement', correlationId: 'test', causationId: null },
      new Date(),
    );

  it('forwards each event once to its placement, even when it crashed after forwarding', async () => {
    const locks = createWriteLocks();
    const participantId = randomUUID();
    const placementIds = [randomUUID(), randomUUID()];
    const earlier = { eventId: randomUUID(), event: { note: 'an event already waiting' } };
    await db
      .collection('placements')
      .insertMany(placementIds.map((id) => ({ _id: id as never, outbox: [earlier] })));
    const events = placementIds.map((id) => consentChanged(id, participantId));
    await db
      .collection('participants')
      .insertOne({ _id: participantId as never, outbox: toOutboxEntries(events) });

    let forwarded = 0;
    const forwarder: EventPublisher = createPlacementOutboxForwarder({
      db,
      locks,
      onForwarded: () => (forwarded += 1),
    });
    let crashes = 1;
    const relay = createOutboxRelay({
      collections: [db.collection<OutboxDocument>('participants') as never],
      publisher: forwarder,
      locks,
      logger,
      afterPublish: async () => {
        if (crashes-- > 0) throw new Error('killed after forwarding');
      },
    });

    await expect(relay.drain()).rejects.toThrow('killed after forwarding');
    expect(
      (await db.collection('participants').findOne({ _id: participantId as never }))?.outbox,
    ).toHaveLength(2);
    expect(await relay.drain()).toBe(2);

    expect(forwarded).toBe(2);
    expect(
      (await db.collection('participants').findOne({ _id: participantId as never }))?.outbox,
    ).toEqual([]);
    for (const [i, id] of placementIds.entries()) {
      const placement = await db.collection('placements').findOne({ _id: id as never });
      expect(placement?.outbox.map((e: { eventId: string }) => e.eventId)).toEqual([
        earlier.eventId,
        events[i]?.eventId,
      ]);
    }
  });

  it('drops an event for a placement that is not there, and goes on', async () => {
    const participantId = randomUUID();
    await db.collection('participants').insertOne({
      _id: participantId as never,
      outbox: toOutboxEntries([consentChanged(randomUUID(), participantId)]),
    });
    const locks = createWriteLocks();
    const relay = createOutboxRelay({
      collections: [db.collection<OutboxDocument>('participants') as never],
      publisher: createPlacementOutboxForwarder({ db, locks, onForwarded: () => undefined }),
      locks,
      logger,
    });
    expect(await relay.drain()).toBe(1);
    expect(
      (await db.collection('participants').findOne({ _id: participantId as never }))?.outbox,
    ).toEqual([]);
  });
});
