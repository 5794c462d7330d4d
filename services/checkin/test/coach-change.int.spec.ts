import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import { createEvent, dlqTopicOf, PlacementChangedV1, Topics } from '@sanad/contracts';
import { DeadLetterHeaders } from '@sanad/messaging';
import {
  placementCoachChangedEvent,
  placementConfirmedEvent,
  placementRecordedEvent,
  readTopic,
  testCaller,
  testKafka,
  waitFor,
} from '@sanad/testing';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const admin = testCaller('admin');
const coach = (userId: string): Caller => testCaller('coach', { userId });

/**
 * A placement moved to another coach's caseload (placement.changed, coachId): the check-in service
 * keeps the new coach in the plan's scope, in order with the placement's other events, so the old
 * coach no longer sees the follow-ups and the new one does.
 */
describe('check-in service following a coach change, on the real servers', () => {
  let checkin: RunningCheckin;
  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  const storedPlan = (placementId: string) =>
    checkin.db.collection('follow_up_plans').findOne({ _id: placementId as never });

  it('moves the plan to the new coach once when the change is delivered twice', async () => {
    const { publisher, statusAs } = checkin;
    const recorded = placementRecordedEvent({ startDate: '2031-04-01' });
    const { placementId, coachId: oldCoach, employerId, programmeId } = recorded.data;
    const newCoach = randomUUID();
    await publisher.publish([recorded]);
    await waitFor(async () => (await statusAs(placementId, coach(oldCoach))) === 200, {
      what: 'the plan, seen by its coach',
    });
    expect(await statusAs(placementId, coach(newCoach))).toBe(404);

    const change = placementCoachChangedEvent({
      placementId,
      coach: { before: oldCoach, after: newCoach },
    });
    await publisher.publish([change]);
    await publisher.publish([change]);
    await waitFor(async () => (await statusAs(placementId, coach(newCoach))) === 200, {
      what: 'the new coach to see the follow-ups',
    });
    await checkin.caughtUp();

    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
    expect(await statusAs(placementId, testCaller('employer-user', { employerId }))).toBe(200);
    const plan = await storedPlan(placementId);
    expect(plan?.scope).toEqual({ coachId: newCoach, employerId, programmeId });
    expect(new Date(plan?.coachChangedAt).toISOString()).toBe(change.occurredAt);
    expect(
      await checkin.db
        .collection('inbox')
        .countDocuments({ consumer: 'checkin.placement-events', eventId: change.eventId }),
    ).toBe(1);
  });

  it('passes over an older change arriving late, and a change of something else', async () => {
    const { publisher, statusAs } = checkin;
    const recorded = placementRecordedEvent({ startDate: '2031-04-02' });
    const { placementId, coachId: first } = recorded.data;
    const [second, third] = [randomUUID(), randomUUID()];
    const now = Date.now();
    const newer = placementCoachChangedEvent({
      placementId,
      coach: { before: second, after: third },
      at: new Date(now),
    });
    const older = placementCoachChangedEvent({
      placementId,
      coach: { before: first, after: second },
      at: new Date(now - 60_000),
    });
    const hours = createEvent(
      PlacementChangedV1,
      {
        placementId,
        changes: [{ field: 'hoursPerWeek', before: 30, after: 20 }],
        effectiveDate: '2031-05-01',
      },
      { producer: 'test', correlationId: randomUUID(), causationId: null },
      new Date(),
    );
    await publisher.publish([recorded, newer, older, hours]);
    await waitFor(async () => (await statusAs(placementId, coach(third))) === 200, {
      what: 'the latest coach to see the follow-ups',
    });
    await checkin.caughtUp();
    expect(await statusAs(placementId, coach(second))).toBe(404);
    expect(await statusAs(placementId, coach(first))).toBe(404);
    expect((await storedPlan(placementId))?.scope.coachId).toBe(third);
  });

  it('keeps a change that arrives before its placement, over the coach placement.recorded carries', async () => {
    const { publisher, statusAs } = checkin;
    const recorded = placementRecordedEvent({ startDate: '2031-04-03' });
    const { placementId, coachId: oldCoach } = recorded.data;
    const newCoach = randomUUID();
    await publisher.publish([
      placementCoachChangedEvent({ placementId, coach: { before: oldCoach, after: newCoach } }),
    ]);
    // Waited for through the service itself: right after the insert, a read on the test's own
    // connection can see the document a moment before the service's connection does.
    await waitFor(async () => (await statusAs(placementId, admin)) === 200, {
      what: 'the coach kept before the plan, shown to an admin',
    });
    // No whole scope yet: nobody but an admin may ask, and there is nothing planned to show.
    expect(await statusAs(placementId, coach(newCoach))).toBe(404);
    expect(await checkin.followUps(placementId)).toMatchObject({
      status: 'awaiting-confirmation',
      checkins: [],
    });

    await publisher.publish([recorded, placementConfirmedEvent(recorded)]);
    await waitFor(
      async () =>
        (await statusAs(placementId, coach(newCoach))) === 200 &&
        (await checkin.followUps(placementId))?.checkins.length === 16,
      { what: 'the plan made, with the new coach' },
    );
    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
    const plan = await storedPlan(placementId);
    expect(Object.keys(plan?.checkins ?? {})).toHaveLength(16);
    expect(plan?.scope).toMatchObject({ coachId: newCoach, employerId: recorded.data.employerId });
  });

  it('dead-letters a malformed coach change once and goes on with the next', async () => {
    const { prefix, publisher, statusAs } = checkin;
    const recorded = placementRecordedEvent({ startDate: '2031-04-04' });
    const { placementId, coachId: oldCoach } = recorded.data;
    await publisher.publish([recorded]);
    await waitFor(async () => (await statusAs(placementId, coach(oldCoach))) === 200, {
      what: 'the plan',
    });
    const bad = placementCoachChangedEvent({ placementId, coach: { before: oldCoach } });
    const good = placementCoachChangedEvent({ placementId, coach: { before: oldCoach } });
    const goodCoach = (good.data.changes[0] as { after: string }).after;
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
    await publisher.publish([good]);
    await waitFor(async () => (await statusAs(placementId, coach(goodCoach))) === 200, {
      what: 'the good change after the bad one',
    });
    await checkin.caughtUp();
    const dead = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), { count: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('checkin.placement-events');
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.changes\.0\.after/);
    expect(await statusAs(placementId, coach(oldCoach))).toBe(404);
  });
});
