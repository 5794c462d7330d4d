import { dlqTopicOf, Topics } from '@sanad/contracts';
import { DeadLetterHeaders } from '@sanad/messaging';
import { placementRecordedEvent, readTopic, testKafka, waitFor } from '@sanad/testing';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const recorded = (startDate: string) => placementRecordedEvent({ startDate, jobTitle: 'Cook' });

describe('check-in service consuming placement events, on the real servers', () => {
  let checkin: RunningCheckin;
  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  it('plans once and schedules one job per check-in when the same event arrives twice', async () => {
    const { prefix, publisher, followUps } = checkin;
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
    await checkin.caughtUp();

    expect(plan.checkins).toHaveLength(16);
    const jobs = await checkin.queue.getJobs(['delayed']);
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
    expect(await checkin.db.collection('inbox').countDocuments({ eventId: event.eventId })).toBe(1);
  });

  it('marks past-due check-ins due at once, all of them, though their jobs fire together', async () => {
    const { publisher, followUps } = checkin;
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
    const stored = await checkin.db
      .collection('follow_up_plans')
      .findOne({ _id: event.key as never });
    expect(
      Object.values(stored?.checkins ?? {}).every(
        (c) => (c as { status: string }).status === 'due',
      ),
    ).toBe(true);
  });

  it('dead-letters a malformed placement event once and goes on planning the next', async () => {
    const { prefix, publisher, followUps } = checkin;
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
    await checkin.caughtUp();
    const dead = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), { count: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.startDate/);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('checkin.placement-events');
    expect(await followUps(bad.key)).toBeUndefined();
  });
});
