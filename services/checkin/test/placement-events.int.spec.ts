import { dlqTopicOf, followUpJobId, Topics } from '@sanad/contracts';
import { DeadLetterHeaders } from '@sanad/messaging';
import {
  placementConfirmedEvent,
  placementEndedEvent,
  placementRecordedEvent,
  readTopic,
  testKafka,
  waitFor,
} from '@sanad/testing';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const recorded = (startDate: string) => placementRecordedEvent({ startDate, jobTitle: 'Cook' });

describe('check-in service consuming placement events, on the real servers', () => {
  let checkin: RunningCheckin;
  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  it('stores a placement.recorded arriving twice once, planning nothing until it is confirmed', async () => {
    const { publisher, followUps } = checkin;
    const event = recorded('2030-01-01');
    await publisher.publish([event]);
    await publisher.publish([event]);
    await waitFor(() => followUps(event.key), { what: 'the plan awaiting confirmation' });
    await checkin.caughtUp();
    const plan = await followUps(event.key);
    expect(plan?.status).toBe('awaiting-confirmation');
    expect(plan?.checkins).toEqual([]);
    expect(await checkin.db.collection('inbox').countDocuments({ eventId: event.eventId })).toBe(1);
  });

  it('plans once and schedules one job per check-in when the same confirmation arrives twice', async () => {
    const { publisher, followUps } = checkin;
    const event = recorded('2030-01-01');
    const confirmed = placementConfirmedEvent(event);
    await publisher.publish([event, confirmed]);
    await publisher.publish([confirmed]);
    const plan = await waitFor(
      async () => {
        const p = await followUps(event.key);
        return p && p.checkins.length > 0 && p.checkins.every((c) => c.job?.state === 'delayed')
          ? p
          : undefined;
      },
      { what: 'the follow-up plan with its delayed jobs' },
    );
    await checkin.caughtUp();

    expect(plan.checkins).toHaveLength(16);
    const jobs = await checkin.queue.getJobs(['delayed']);
    const mine = jobs.filter((j) => j.data.placementId === event.key);
    expect(mine).toHaveLength(16);
    expect(mine.map((j) => j.id).sort()).toEqual(plan.checkins.map((c) => c.job?.id).sort());
    expect(
      mine.find((j) => j.id === followUpJobId(event.key, 30, 'supervisor'))?.delay,
    ).toBeGreaterThan(0);

    const scheduled = await checkin.events(event.key, (e) => e.length >= 16, 1_000);
    expect(scheduled.filter((e) => e.type === 'checkin.scheduled')).toHaveLength(16);
    expect(new Set(scheduled.map((e) => (e.data as { checkinId: string }).checkinId)).size).toBe(
      16,
    );
    expect(
      await checkin.db.collection('inbox').countDocuments({ eventId: confirmed.eventId }),
    ).toBe(1);
  });

  it('marks past-due check-ins due at once, all of them, though their jobs fire together', async () => {
    const { publisher, followUps } = checkin;
    // Started long ago: every check-in falls due at once, and every grace period is over.
    const event = recorded('2020-01-01');
    await publisher.publish([event, placementConfirmedEvent(event)]);
    const plan = await waitFor(
      async () => {
        const p = await followUps(event.key);
        return p &&
          p.checkins.length === 16 &&
          p.checkins.every((c) => c.status === 'due' || c.status === 'missed')
          ? p
          : undefined;
      },
      { what: 'every check-in of a placement that started in 2020 to have fallen due' },
    );
    expect(plan.checkins.every((c) => c.status !== 'scheduled')).toBe(true);
    const stored = await checkin.db
      .collection('follow_up_plans')
      .findOne({ _id: event.key as never });
    expect(
      Object.values(stored?.checkins ?? {}).every(
        (c) => (c as { status: string }).status !== 'scheduled',
      ),
    ).toBe(true);
  });

  it('ends a plan once when placement.ended arrives twice, cancelling what was left', async () => {
    const { publisher, followUps } = checkin;
    const { recorded: event } = await checkin.follow({ startDate: '2030-05-01' });
    const ended = placementEndedEvent(event.key, '2030-04-30');
    await publisher.publish([ended]);
    await publisher.publish([ended]);
    const plan = await waitFor(
      async () => {
        const p = await followUps(event.key);
        return p?.status === 'ended' ? p : undefined;
      },
      { what: 'the plan ended' },
    );
    await checkin.caughtUp();
    expect(plan.endDate).toBe('2030-04-30');
    expect(plan.checkins).toHaveLength(16);
    expect(plan.checkins.every((c) => c.status === 'cancelled')).toBe(true);
    expect(await followUps(event.key)).toEqual(plan);
    expect(await checkin.db.collection('inbox').countDocuments({ eventId: ended.eventId })).toBe(1);
    const jobs = (await checkin.queue.getJobs(['delayed', 'waiting'])).filter(
      (j) => j.data.placementId === event.key,
    );
    expect(jobs).toEqual([]);
  });

  it('dead-letters a malformed placement event once and goes on with the next', async () => {
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
    const dead = (
      await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), {
        until: (messages) => messages.some((m) => m.key === bad.key),
      })
    ).filter((m) => m.key === bad.key);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.startDate/);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('checkin.placement-events');
    expect(await followUps(bad.key)).toBeUndefined();
  });
});
