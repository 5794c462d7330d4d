import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import { dlqTopicOf, Topics } from '@sanad/contracts';
import { DeadLetterHeaders } from '@sanad/messaging';
import {
  placementCoachChangedEvent,
  placementRecordedEvent,
  readTopic,
  testCaller,
  testKafka,
  waitFor,
} from '@sanad/testing';
import { startAlerting, type RunningAlerting } from './support/start-alerting';

const coach = (userId: string): Caller => testCaller('coach', { userId });

/**
 * A placement moved to another coach's caseload (placement.changed, coachId): the alerting service
 * keeps the new coach in the placement's facts, in order with its other events, so the old coach
 * no longer sees them and the new one does.
 */
describe('alerting service following a coach change, on the real servers', () => {
  let alerting: RunningAlerting;
  beforeAll(async () => {
    alerting = await startAlerting();
  });
  afterAll(() => alerting.stop());

  it('moves the facts to the new coach once when the change is delivered twice', async () => {
    const { publisher, statusAs, facts } = alerting;
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
    await alerting.caughtUp();

    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
    expect(await facts(placementId)).toMatchObject({
      coachId: newCoach,
      coachChangedAt: change.occurredAt,
      employerId,
      programmeId,
      status: 'recorded',
    });
    expect(
      await alerting.db
        .collection('inbox')
        .countDocuments({ consumer: 'alerting.placement-events', eventId: change.eventId }),
    ).toBe(1);
  });

  it('passes over an older change arriving late', async () => {
    const { publisher, statusAs } = alerting;
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
    await alerting.caughtUp();
    expect(await statusAs(placementId, coach(second))).toBe(404);
    expect(await statusAs(placementId, coach(first))).toBe(404);
  });

  it('keeps a change that arrives before its placement, over the coach placement.recorded carries', async () => {
    const { publisher, statusAs, facts } = alerting;
    const recorded = placementRecordedEvent({ startDate: '2031-04-03' });
    const { placementId, coachId: oldCoach, employerId } = recorded.data;
    const newCoach = randomUUID();
    await publisher.publish([
      placementCoachChangedEvent({ placementId, coach: { before: oldCoach, after: newCoach } }),
    ]);
    await waitFor(() => facts(placementId), {
      what: 'the coach kept before placement.recorded',
    });
    // No whole scope yet: only an admin sees these facts.
    expect(await statusAs(placementId, coach(newCoach))).toBe(404);

    await publisher.publish([recorded]);
    await waitFor(async () => (await statusAs(placementId, coach(newCoach))) === 200, {
      what: 'the facts complete, with the new coach',
    });
    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
    expect(await facts(placementId)).toMatchObject({
      coachId: newCoach,
      employerId,
      status: 'recorded',
    });
  });

  it('dead-letters a malformed coach change once and goes on with the next', async () => {
    const { prefix, publisher, statusAs } = alerting;
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
    await alerting.caughtUp();
    const dead = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), { count: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('alerting.placement-events');
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.changes\.0\.after/);
    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
  });
});
