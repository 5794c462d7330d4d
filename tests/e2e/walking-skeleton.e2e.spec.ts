/**
 * The whole path, each service in its own process as it runs in production (built JavaScript):
 * HTTP in at the placement service -> outbox -> Kafka -> check-in service keeps a plan awaiting
 * confirmation; the placement confirmed (by its coach) -> the check-in service plans and schedules
 * BullMQ delayed jobs -> alerting service records the facts. Every call carries a service token
 * for its caller, as the web app sends them; each service checks it and who may see what. Then
 * each stops cleanly on SIGTERM.
 */
import { Queue } from 'bullmq';
import { followUpJobId, Queues } from '@sanad/contracts';
import { bearerFor, createTestEmployer, servers, testCaller, waitFor } from '@sanad/testing';
import { cleanUp, startServices, terminate, type Running } from './support/services';

/** The follow-ups view, as far as this journey reads it. */
interface FollowUps {
  status: string;
  startDate: string | null;
  checkins: { dueDate: string; job: { id: string; state: string } | null }[];
}

describe('walking skeleton: a confirmed placement becomes scheduled follow-ups', () => {
  let services: Running[] = [];

  beforeAll(async () => {
    services = await startServices(['placement', 'checkin', 'alerting'], 24_100);
  });
  afterAll(() => cleanUp(services));

  it('goes from HTTP in, through the confirmation, to BullMQ delayed jobs out, and every service stops cleanly', async () => {
    const [placement, checkin, alerting] = services as [Running, Running, Running];
    const coach = testCaller('coach', { userId: '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c13' });
    const manager = testCaller('programme-manager', {
      programmeIds: ['0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c12'],
    });
    const employer = await createTestEmployer(placement.api, coach);
    const res = await fetch(`${placement.url}/placements`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': 'e2e-walking-skeleton',
        authorization: await bearerFor(coach, 'placement'),
      },
      body: JSON.stringify({
        participantId: '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c10',
        employerId: employer.id,
        programmeId: '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c12',
        coachId: '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c13',
        jobTitle: 'Data entry clerk',
        startDate: '2031-01-05',
        hoursPerWeek: 30,
        wage: { amount: 350, currency: 'OMR', period: 'month' },
      }),
    });
    expect(res.status).toBe(201);
    const { placement: created } = (await res.json()) as { placement: { id: string } };
    const followUps = async () => {
      const r = await fetch(`${checkin.url}/placements/${created.id}/follow-ups`, {
        headers: { authorization: await bearerFor(coach, 'checkin') },
      });
      return r.status === 200 ? ((await r.json()) as FollowUps) : undefined;
    };

    // Recorded only: the check-in service knows the placement, but plans nothing before the
    // employer (or the coach) confirms the terms.
    const awaiting = await waitFor(followUps, {
      timeoutMs: 30_000,
      what: 'the check-in service to learn of the recorded placement',
    });
    expect(awaiting).toMatchObject({ status: 'awaiting-confirmation', startDate: null });
    expect(awaiting.checkins).toEqual([]);

    const confirmed = await fetch(`${placement.url}/placements/${created.id}/confirmation`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': 'e2e-walking-skeleton',
        'idempotency-key': 'e2e-walking-skeleton-confirm',
        authorization: await bearerFor(coach, 'placement'),
      },
      body: JSON.stringify({
        version: 1,
        terms: {
          jobTitle: 'Data entry clerk',
          startDate: '2031-01-05',
          hoursPerWeek: 30,
          wage: { amount: 350, currency: 'OMR', period: 'month' },
        },
        accommodations: [],
      }),
    });
    expect(confirmed.status).toBe(200);

    const plan = await waitFor(
      async () => {
        const body = await followUps();
        return body &&
          body.checkins.length > 0 &&
          body.checkins.every((c) => c.job?.state === 'delayed')
          ? body
          : undefined;
      },
      { timeoutMs: 30_000, what: 'the follow-up plan with delayed jobs' },
    );
    expect(plan).toMatchObject({ status: 'open', startDate: '2031-01-05' });
    expect(plan.checkins).toHaveLength(16);

    const queue = new Queue(Queues.followUpDue, {
      connection: { url: servers.redisUrl },
      prefix: checkin.env.QUEUE_PREFIX,
    });
    try {
      const job = await queue.getJob(followUpJobId(created.id, 30, 'supervisor'));
      expect(job?.data).toMatchObject({
        placementId: created.id,
        milestoneDay: 30,
        respondent: 'supervisor',
        dueDate: '2031-02-04',
        correlationId: 'e2e-walking-skeleton',
      });
      expect(await job?.getState()).toBe('delayed');
      // It fires at the start of the due day (give or take the moment it was added).
      const firesAt = (job?.timestamp ?? 0) + (job?.delay ?? 0);
      expect(Math.abs(firesAt - Date.parse('2031-02-04T00:00:00Z'))).toBeLessThan(5_000);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }

    const facts = await waitFor(
      async () => {
        const r = await fetch(`${alerting.url}/placements/${created.id}/facts`, {
          headers: { authorization: await bearerFor(manager, 'alerting') },
        });
        if (r.status !== 200) return undefined;
        const body = (await r.json()) as {
          facts: { status: string; scheduledCheckinIds: string[] };
        };
        return body.facts.scheduledCheckinIds.length === 16 && body.facts.status === 'confirmed'
          ? body.facts
          : undefined;
      },
      {
        timeoutMs: 30_000,
        what: 'the alerting service to know the confirmation and all 16 check-ins',
      },
    );
    expect(facts.status).toBe('confirmed');

    // Each service checks for itself: no token, a token for another service, another coach.
    const otherCoach = testCaller('coach');
    const refusals = await Promise.all([
      fetch(`${placement.url}/placements/${created.id}`),
      fetch(`${checkin.url}/placements/${created.id}/follow-ups`, {
        headers: { authorization: await bearerFor(coach, 'placement') },
      }),
      fetch(`${placement.url}/placements/${created.id}`, {
        headers: { authorization: await bearerFor(otherCoach, 'placement') },
      }),
      fetch(`${checkin.url}/placements/${created.id}/follow-ups`, {
        headers: { authorization: await bearerFor(otherCoach, 'checkin') },
      }),
      fetch(`${alerting.url}/placements/${created.id}/facts`, {
        headers: { authorization: await bearerFor(otherCoach, 'alerting') },
      }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 404, 404, 404]);

    expect(await terminate(services)).toEqual([0, 0, 0]);
  });
});
