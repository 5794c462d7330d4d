import { randomUUID } from 'node:crypto';
import {
  CheckinScheduledV1,
  createEvent,
  dlqTopicOf,
  PlacementEndedV1,
  Topics,
  type Envelope,
} from '@sanad/contracts';
import { DeadLetterHeaders } from '@sanad/messaging';
import { placementRecordedEvent, readTopic, testKafka, waitFor } from '@sanad/testing';
import { startAlerting, type RunningAlerting } from './support/start-alerting';

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
  let alerting: RunningAlerting;
  beforeAll(async () => {
    alerting = await startAlerting();
  });
  afterAll(() => alerting.stop());

  it('records each fact once when placement and check-in events are delivered twice', async () => {
    const { publisher, facts } = alerting;
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
    await alerting.caughtUp();
    expect(found.scheduledCheckinIds.sort()).toEqual(
      checkins.map((c) => (c.data as { checkinId: string }).checkinId).sort(),
    );
    expect(found.endDate).toBe('2026-07-01');
    const inbox = await alerting.db.collection('inbox').find({ eventId: placed.eventId }).toArray();
    expect(inbox).toHaveLength(1);
  });

  it('dead-letters a bad check-in event once and a bad placement event once, and goes on', async () => {
    const { prefix, publisher, facts } = alerting;
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
    await alerting.caughtUp();

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
