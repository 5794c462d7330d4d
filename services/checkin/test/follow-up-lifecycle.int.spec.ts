import { followUpJobId, followUpMissedJobId, type Envelope } from '@sanad/contracts';
import {
  placementChangedEvent,
  placementEndedEvent,
  servers,
  testCaller,
  waitFor,
} from '@sanad/testing';
import { Redis } from 'ioredis';
import type { FollowUpsView } from '../src/application/get-follow-ups';
import { addDays } from '../src/domain/follow-up-plan';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => addDays(today(), -n);
const ofType = (events: Envelope[], type: string) => events.filter((e) => e.type === type);
const checkinOf = (plan: FollowUpsView, day: number, respondent: string) =>
  plan.checkins.find((c) => c.milestoneDay === day && c.respondent === respondent);

/**
 * Follow-up plans on the real Kafka, FerretDB and Redis. Time is controlled through the start
 * date: a placement that started 20 days ago has check-ins whose jobs fire at once (days 7 and 14),
 * whose grace period is over (day 7), and that wait in BullMQ (day 30 on).
 */
describe('follow-up plans, due and missed check-ins, on the real servers', () => {
  let checkin: RunningCheckin;
  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  it('plans nothing for a placement only recorded: the plan waits for its confirmation', async () => {
    const recorded = await checkin.publishRecorded({ startDate: daysAgo(20) });
    await checkin.caughtUp();
    const plan = await checkin.followUps(recorded.key);
    expect(plan?.status).toBe('awaiting-confirmation');
    expect(plan?.checkins).toEqual([]);
    const jobs = await checkin.queue.getJobs(['delayed', 'waiting', 'active', 'completed']);
    expect(jobs.filter((j) => j.data.placementId === recorded.key)).toEqual([]);
  });

  it('plans on confirmation once, with one delayed job per check-in, though the confirmation comes twice', async () => {
    const { recorded, confirmed } = await checkin.follow({ startDate: addDays(today(), 10) });
    await checkin.publisher.publish([confirmed]);
    await checkin.caughtUp();
    const placementId = recorded.key;
    const plan = (await checkin.followUps(placementId)) as FollowUpsView;
    expect(plan.status).toBe('open');
    expect(plan.checkins).toHaveLength(16);
    expect(plan.checkins.every((c) => c.status === 'scheduled')).toBe(true);
    expect(checkinOf(plan, 30, 'supervisor')?.dueDate).toBe(addDays(today(), 40));
    expect(checkinOf(plan, 30, 'supervisor')?.missAfter).toBe(addDays(today(), 47));

    const jobs = (await checkin.queue.getJobs(['delayed'])).filter(
      (j) => j.data.placementId === placementId,
    );
    expect(jobs.map((j) => j.id).sort()).toEqual(
      plan.checkins.map((c) => followUpJobId(placementId, c.milestoneDay, c.respondent)).sort(),
    );
    const events = await checkin.events(
      placementId,
      (e) => ofType(e, 'checkin.scheduled').length >= 16,
      1_000,
    );
    expect(ofType(events, 'checkin.scheduled')).toHaveLength(16);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('makes past check-ins due at once, misses those whose grace is over, and waits for the rest', async () => {
    const { recorded } = await checkin.follow({ startDate: daysAgo(20) });
    const placementId = recorded.key;
    const plan = await waitFor(
      async () => {
        const p = await checkin.followUps(placementId);
        return p &&
          checkinOf(p, 7, 'participant')?.status === 'missed' &&
          checkinOf(p, 7, 'coach')?.status === 'missed' &&
          checkinOf(p, 14, 'coach')?.status === 'due' &&
          checkinOf(p, 14, 'participant')?.invitation !== undefined
          ? p
          : undefined;
      },
      { what: 'days 7 missed, day 14 due and its invitation settled' },
    );
    expect(checkinOf(plan, 7, 'coach')?.daysOverdue).toBe(13);
    expect(checkinOf(plan, 14, 'participant')?.status).toBe('due');
    // no key to call the placement service with in this test: the link is not mailed, and says why
    expect(checkinOf(plan, 14, 'participant')?.invitation).toMatchObject({
      sent: false,
      reason: 'mail-not-configured',
    });
    expect(checkinOf(plan, 30, 'coach')?.status).toBe('scheduled');
    expect(checkinOf(plan, 14, 'coach')?.job).toEqual({
      id: followUpMissedJobId(placementId, 14, 'coach'),
      state: 'delayed',
    });

    const events = await checkin.events(
      placementId,
      (e) => ofType(e, 'checkin.missed').length >= 2 && ofType(e, 'checkin.due').length >= 4,
      1_000,
    );
    expect(ofType(events, 'checkin.due').map((e) => e.data)).toHaveLength(4);
    expect(ofType(events, 'checkin.missed').map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ milestoneDay: 7, respondent: 'coach', daysOverdue: 13 }),
        expect.objectContaining({ milestoneDay: 7, respondent: 'participant', daysOverdue: 13 }),
      ]),
    );
    const admin = testCaller('admin');
    const due = await checkin.api.get('/checkins/due?limit=500', admin);
    expect(due.status).toBe(200);
    const mine = (due.body as { items: { placementId: string; status: string }[] }).items.filter(
      (t) => t.placementId === placementId,
    );
    expect(mine.map((t) => t.status).sort()).toEqual(['due', 'due', 'missed', 'missed']);
  });

  it('fires the same due job twice and announces the check-in due once', async () => {
    const { recorded } = await checkin.follow({ startDate: addDays(today(), 3) });
    const placementId = recorded.key;
    const jobId = followUpJobId(placementId, 7, 'coach');
    const job = await waitFor(() => checkin.queue.getJob(jobId), { what: 'the day-7 job' });
    const payload = job.data;
    await job.promote();
    await waitFor(
      async () => checkinOf((await checkin.followUps(placementId))!, 7, 'coach')?.status === 'due',
      { what: 'the check-in due' },
    );
    // the same job again (its id is free once done), and a third firing straight from the handler
    await checkin.queue.add('follow-up-due', payload, { jobId, removeOnComplete: true });
    await checkin.service.fire.due(payload);
    await waitFor(async () => (await checkin.queue.getJob(jobId)) === undefined, {
      what: 'the second firing done',
    });
    const events = await checkin.events(
      placementId,
      (e) => ofType(e, 'checkin.due').length >= 1,
      1_500,
    );
    expect(ofType(events, 'checkin.due')).toHaveLength(1);
  });

  it('fails a job with a malformed payload at once, without retries, and goes on firing the next', async () => {
    const bad = await checkin.queue.add(
      'follow-up-due',
      { placementId: 'nope', milestoneDay: -1 },
      { jobId: 'malformed-job', attempts: 5 },
    );
    const { recorded } = await checkin.follow({ startDate: daysAgo(8) });
    await waitFor(
      async () => checkinOf((await checkin.followUps(recorded.key))!, 7, 'coach')?.status === 'due',
      { what: 'the next job fired' },
    );
    const failed = await waitFor(
      async () => {
        const job = await checkin.queue.getJob(bad.id!);
        return job && (await job.getState()) === 'failed' ? job : undefined;
      },
      { what: 'the malformed job failed' },
    );
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/bad payload: placementId/);
  });

  it('cancels what is left when the placement ends', async () => {
    const { recorded } = await checkin.follow({ startDate: daysAgo(10) });
    const placementId = recorded.key;
    await waitFor(
      async () => checkinOf((await checkin.followUps(placementId))!, 7, 'coach')?.status === 'due',
      { what: 'day 7 due' },
    );
    await checkin.publisher.publish([placementEndedEvent(placementId)]);
    const plan = await waitFor(
      async () => {
        const p = await checkin.followUps(placementId);
        return p?.status === 'ended' ? p : undefined;
      },
      { what: 'the plan ended' },
    );
    expect(plan.checkins.every((c) => c.status === 'cancelled')).toBe(true);
    const jobs = (await checkin.queue.getJobs(['delayed', 'waiting'])).filter(
      (j) => j.data.placementId === placementId,
    );
    expect(jobs).toEqual([]);
  });

  it('moves the check-ins not yet due when the start date changes, and keeps those that happened', async () => {
    const { recorded } = await checkin.follow({ startDate: daysAgo(10) });
    const placementId = recorded.key;
    await waitFor(
      async () => checkinOf((await checkin.followUps(placementId))!, 7, 'coach')?.status === 'due',
      { what: 'day 7 due' },
    );
    const newStart = daysAgo(5);
    await checkin.publisher.publish([
      placementChangedEvent(placementId, [
        { field: 'startDate', before: daysAgo(10), after: newStart },
      ]),
    ]);
    const plan = await waitFor(
      async () => {
        const p = await checkin.followUps(placementId);
        return p?.startDate === newStart ? p : undefined;
      },
      { what: 'the re-plan' },
    );
    expect(checkinOf(plan, 7, 'coach')).toMatchObject({
      status: 'due',
      dueDate: addDays(daysAgo(10), 7),
    });
    expect(checkinOf(plan, 30, 'coach')).toMatchObject({
      status: 'scheduled',
      dueDate: addDays(newStart, 30),
    });
    const job = await checkin.queue.getJob(followUpJobId(placementId, 30, 'coach'));
    expect(job?.data.dueDate).toBe(addDays(newStart, 30));
  });

  it('restores every pending job exactly once after Redis lost them', async () => {
    const { recorded } = await checkin.follow({ startDate: daysAgo(10) });
    const placementId = recorded.key;
    await waitFor(
      async () => {
        const p = await checkin.followUps(placementId);
        return p &&
          p.checkins.filter((c) => c.status === 'due').every((c) => c.job?.state === 'delayed') &&
          p.checkins.some((c) => c.status === 'due')
          ? p
          : undefined;
      },
      { what: 'day 7 due with its missed jobs waiting' },
    );
    // Redis loses every key of this service (a restart without its append-only file)
    const redis = new Redis(servers.redisUrl);
    const keys = await redis.keys(`${checkin.env.QUEUE_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    const lost = await checkin.followUps(placementId);
    expect(lost?.checkins.filter((c) => c.job?.state === 'missing').length).toBeGreaterThan(0);

    // (other plans' jobs may be made meanwhile by their own firings: at most every pending one is made)
    const first = await checkin.service.reconcile('test-reconcile');
    expect(first.recreated).toBeGreaterThan(0);
    expect(first.recreated).toBeLessThanOrEqual(first.pending);
    const second = await checkin.service.reconcile('test-reconcile');
    expect(second.recreated).toBe(0);
    const plan = (await checkin.followUps(placementId)) as FollowUpsView;
    const pending = plan.checkins.filter((c) => c.job !== null);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((c) => c.job?.state === 'delayed' || c.job?.state === 'waiting')).toBe(
      true,
    );
    const jobs = (await checkin.queue.getJobs(['delayed', 'waiting'])).filter(
      (j) => j.data.placementId === placementId,
    );
    expect(jobs.map((j) => j.id).sort()).toEqual(pending.map((c) => c.job?.id).sort());
  });
});
