import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Envelope } from '@sanad/contracts';
import { createLogger } from '@sanad/logger';
import {
  createOutboxRelay,
  createWriteLocks,
  outboxPush,
  type OutboxDocument,
} from '@sanad/messaging';
import { createTestDatabase, type TestDatabase } from '@sanad/testing';
import { coachChangedEvents, reassignCoach } from '../src/domain/caseload';
import { registerParticipant, type Participant } from '../src/domain/participant';
import { createPlacementOutboxForwarder } from '../src/messaging/placement-outbox.forwarder';

/**
 * A coach change waits in the participant's outbox; the participants' relay moves each
 * placement.changed into its placement's outbox and moves the placement to the new coach in the
 * same write. Killed between moving and removing, or moving again what already went out, each
 * placement still takes each change once: one copy in its outbox, one version step, no step back.
 */
describe('moving coach changes into the placements, on the real database', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  const context = { producer: 'placement', correlationId: 'test', causationId: null };
  let database: TestDatabase;
  let db: Connection;
  beforeAll(async () => {
    database = await createTestDatabase('caseload-fan-out');
    db = database.db;
  });
  afterAll(() => database.close());

  const [coachA, coachB, coachC] = [randomUUID(), randomUUID(), randomUUID()];
  const earlier = { eventId: randomUUID(), event: { note: 'an event already waiting' } };

  async function setUp(placementCount: number) {
    const participant: Participant = registerParticipant(
      {
        fullName: 'Fan Out',
        preferredLanguage: 'en',
        programmeId: randomUUID(),
        coachId: coachA,
        consents: { followUp: true, employerContact: true, reportingByCategory: false },
      },
      { id: randomUUID(), code: 'P-23456A', by: coachA, now: new Date() },
    );
    const placements = Array.from({ length: placementCount }, () => ({
      id: randomUUID(),
      coachId: coachA,
      status: 'recorded' as const,
    }));
    await db.collection('placements').insertMany(
      placements.map((p) => ({
        _id: p.id as never,
        participantId: participant.id,
        coachId: coachA,
        status: 'recorded',
        version: 1,
        outbox: [earlier],
      })),
    );
    return { participant, placements };
  }
  const putInParticipantOutbox = (participantId: string, events: readonly Envelope[]) =>
    db
      .collection('participants')
      .updateOne(
        { _id: participantId as never },
        { $push: outboxPush(events) as never },
        { upsert: true },
      );
  const relayWith = (afterPublish?: () => Promise<void>) => {
    const locks = createWriteLocks();
    return createOutboxRelay({
      collections: [db.collection<OutboxDocument>('participants') as never],
      publisher: createPlacementOutboxForwarder({ db, locks, onForwarded: () => undefined }),
      locks,
      logger,
      ...(afterPublish ? { afterPublish } : {}),
    });
  };
  const placementDoc = (id: string) => db.collection('placements').findOne({ _id: id as never });

  it('moves each placement once and puts its event in its outbox once, though it crashed after moving', async () => {
    const { participant, placements } = await setUp(2);
    const moved = reassignCoach(participant, coachB, { now: new Date() }).participant;
    const events = coachChangedEvents(moved, placements, context, new Date());
    await putInParticipantOutbox(participant.id, events);

    let crashes = 1;
    const relay = relayWith(async () => {
      if (crashes-- > 0) throw new Error('killed after forwarding');
    });
    await expect(relay.drain()).rejects.toThrow('killed after forwarding');
    expect((await placementDoc(placements[0]?.id ?? ''))?.coachId).toBe(coachB);
    expect(await relay.drain()).toBe(2);

    for (const [i, p] of placements.entries()) {
      const doc = await placementDoc(p.id);
      expect(doc).toMatchObject({ coachId: coachB, version: 2 });
      expect(doc?.outbox.map((e: { eventId: string }) => e.eventId)).toEqual([
        earlier.eventId,
        events[i]?.eventId,
      ]);
    }
    expect(
      (await db.collection('participants').findOne({ _id: participant.id as never }))?.outbox,
    ).toEqual([]);
  });

  it('neither moves a placement back nor sends a change again that went out already', async () => {
    const { participant, placements } = await setUp(1);
    const [placement] = placements as [(typeof placements)[0]];
    const toB = reassignCoach(participant, coachB, { now: new Date() }).participant;
    const first = coachChangedEvents(toB, placements, context, new Date());
    const toC = reassignCoach(toB, coachC, { now: new Date() }).participant;
    const second = coachChangedEvents(
      toC,
      [{ ...placement, coachId: coachB }],
      context,
      new Date(),
    );
    await putInParticipantOutbox(participant.id, [...first, ...second]);
    expect(await relayWith().drain()).toBe(2);
    expect(await placementDoc(placement.id)).toMatchObject({ coachId: coachC, version: 3 });

    // The placement's relay published both and removed them; then the participant's relay, killed
    // before it removed its own copies, moves both again on its next round.
    await db
      .collection('placements')
      .updateOne({ _id: placement.id as never }, { $set: { outbox: [] } });
    await putInParticipantOutbox(participant.id, [...first, ...second]);
    expect(await relayWith().drain()).toBe(2);
    const doc = await placementDoc(placement.id);
    expect(doc).toMatchObject({ coachId: coachC, version: 3 });
    expect(doc?.outbox).toEqual([]);
  });
});
