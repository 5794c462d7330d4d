import type { Caller } from '@sanad/auth';
import type { CheckinCompletedV1, ParticipantAnswers, SupervisorAnswers } from '@sanad/contracts';
import { createLinkRepository, issueLink } from '@sanad/signed-links';
import { callerFor, placementEndedEvent, targetOf, testCaller, waitFor } from '@sanad/testing';
import type { FollowUpsView } from '../src/application/get-follow-ups';
import { addDays } from '../src/domain/follow-up-plan';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => addDays(today(), -n);

const participantAnswers: ParticipantAnswers = {
  stability: {
    stillEmployed: true,
    hoursLastWeek: 12,
    absenceDays: 3,
    lateDays: 0,
    wageChange: 'none',
  },
  professional: { copesWithTasks: 4, supervisorRelation: 4, accommodationsInPlace: 'no' },
  social: { coworkerRelations: 3, feelsIncluded: 2, transportProblem: true, wellbeing: 2 },
  satisfaction: 2,
};
const supervisorAnswers: SupervisorAnswers = {
  attendance: 2,
  punctuality: 3,
  taskPerformance: 4,
  relations: 4,
  accommodationsWorking: 'yes',
  concern: true,
};

/**
 * Answers recorded by a coach and through participants' and supervisors' links, on the real
 * servers: scores and flags go out in checkin.completed (never text), a check-in is answered once,
 * a retry with the same key gets the first answer back, and bad input is a 4xx naming the field.
 */
describe('check-in answers, on the real servers', () => {
  let checkin: RunningCheckin;
  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  /** A placement 20 days in: day 14 is due for the coach and the participant (30 hours contracted). */
  async function placementWithDueCheckins() {
    const { recorded } = await checkin.follow(
      { startDate: daysAgo(20), hoursPerWeek: 30 },
      { accommodations: ['flexible-schedule'] },
    );
    const plan = await waitFor(
      async () => {
        const p = await checkin.followUps(recorded.key);
        return p &&
          p.checkins.find((c) => c.milestoneDay === 14 && c.respondent === 'participant')
            ?.status === 'due'
          ? p
          : undefined;
      },
      { what: 'day 14 due' },
    );
    const coach = callerFor('coach', 'own', targetOf(recorded).scope);
    return { placementId: recorded.key, plan, coach, recorded };
  }

  const coachCheckin = (plan: FollowUpsView, day: number) =>
    plan.checkins.find((c) => c.milestoneDay === day && c.respondent === 'coach')!;

  /** A link for a check-in, as the due job makes it (the secret the mail would carry). */
  async function linkFor(
    placementId: string,
    checkinId: string,
    purpose: 'participant-checkin' | 'supervisor-checkin',
  ) {
    const { secret, record } = issueLink(
      { placementId, purpose, subjectId: checkinId, ttlDays: 7, maxUses: 1 },
      new Date(),
    );
    await createLinkRepository(checkin.db).save(record);
    return secret;
  }

  const post = (path: string, caller: Caller, body: unknown, key?: string) =>
    checkin.api.post(path, caller, body, key ? { 'idempotency-key': key } : {});

  it('records a coach visit, completes the check-in and publishes scores and flags without the notes', async () => {
    const { placementId, plan, coach, recorded } = await placementWithDueCheckins();
    const due = coachCheckin(plan, 14);
    const res = await post(
      `/placements/${placementId}/checkins`,
      coach,
      {
        checkinId: due.checkinId,
        contactType: 'visit',
        twoWay: true,
        answers: { stability: participantAnswers.stability },
        notes: 'Talked with the manager about the bus times.',
      },
      'coach-visit-0001',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ checkinId: due.checkinId, milestoneDay: 14, twoWay: true });
    expect(res.body.scores.stability).toEqual(expect.any(Number));
    expect(res.body.scores.socialAdaptation).toBeNull();
    expect(res.body.flags).toMatchObject({ hoursCut: true, absences: true });

    const events = await checkin.events(placementId, (e) =>
      e.some((x) => x.type === 'checkin.completed'),
    );
    const completed = events.find((e) => e.type === 'checkin.completed') as CheckinCompletedV1;
    expect(completed.data).toMatchObject({
      checkinId: due.checkinId,
      respondent: 'coach',
      channel: 'visit',
      hours: { lastWeek: 12, contracted: 30 },
    });
    expect(JSON.stringify(completed)).not.toMatch(/bus times/);

    const after = (await checkin.followUps(placementId))!;
    expect(coachCheckin(after, 14).status).toBe('completed');
    expect(after.records[0]?.notes).toMatch(/bus times/);
    // the employer sees the plan, but neither the coach's record nor its notes
    const employerView = await checkin.api.get(
      `/placements/${placementId}/follow-ups`,
      callerFor('employer-user', 'own', targetOf(recorded).scope),
    );
    expect(employerView.status).toBe(200);
    expect(employerView.body.checkins).toHaveLength(16);
    expect(employerView.body.records).toEqual([]);
  });

  it('answers a retry with the same key with the first record, and refuses the key for other answers or a second answer', async () => {
    const { placementId, plan, coach } = await placementWithDueCheckins();
    const due = coachCheckin(plan, 14);
    const body = { checkinId: due.checkinId, contactType: 'phone', twoWay: true, answers: {} };
    const [a, b] = await Promise.all([
      post(`/placements/${placementId}/checkins`, coach, body, 'coach-call-0001'),
      post(`/placements/${placementId}/checkins`, coach, body, 'coach-call-0001'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.recordId).toBe(b.body.recordId);
    const other = await post(
      `/placements/${placementId}/checkins`,
      coach,
      { ...body, contactType: 'visit' },
      'coach-call-0001',
    );
    expect(other.status).toBe(409);
    const second = await post(
      `/placements/${placementId}/checkins`,
      coach,
      body,
      'coach-call-0002',
    );
    expect(second.status).toBe(409);
    expect(second.body.error.details?.reason ?? second.body.error.reason).toBe('already-completed');
    expect((await checkin.followUps(placementId))!.records).toHaveLength(1);
  });

  it('keeps a one-way message without completing the check-in', async () => {
    const { placementId, plan, coach } = await placementWithDueCheckins();
    const due = coachCheckin(plan, 14);
    const res = await post(`/placements/${placementId}/checkins`, coach, {
      checkinId: due.checkinId,
      contactType: 'message',
      twoWay: false,
      answers: {},
    });
    expect(res.status).toBe(201);
    const after = (await checkin.followUps(placementId))!;
    expect(coachCheckin(after, 14).status).toBe('due');
    expect(after.records).toHaveLength(1);
  });

  it('answers 400 naming the field for bad input, and stores nothing', async () => {
    const { placementId, plan, coach } = await placementWithDueCheckins();
    const participantCheckin = plan.checkins.find(
      (c) => c.milestoneDay === 14 && c.respondent === 'participant',
    )!;
    const cases: [unknown, string][] = [
      [{ contactType: 'fax', twoWay: true, answers: {} }, 'contactType'],
      [
        { contactType: 'visit', twoWay: true, answers: { satisfaction: 6 } },
        'answers.satisfaction',
      ],
      [{ contactType: 'visit', twoWay: 'yes', answers: {} }, 'twoWay'],
      [
        {
          contactType: 'visit',
          twoWay: true,
          answers: {},
          checkinId: participantCheckin.checkinId,
        },
        'checkinId',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await post(`/placements/${placementId}/checkins`, coach, body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.error.details?.problems ?? res.body.error.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ path })]),
      );
    }
    expect((await checkin.followUps(placementId))!.records).toEqual([]);
  });

  it('hides the route from an employer user and another coach, and refuses answers once the placement ended', async () => {
    const { placementId, coach, recorded } = await placementWithDueCheckins();
    const scope = targetOf(recorded).scope;
    const body = { contactType: 'visit', twoWay: true, answers: {} };
    expect(
      (
        await post(
          `/placements/${placementId}/checkins`,
          callerFor('employer-user', 'own', scope),
          body,
        )
      ).status,
    ).toBe(404);
    expect(
      (await post(`/placements/${placementId}/checkins`, callerFor('coach', 'other', scope), body))
        .status,
    ).toBe(404);
    await checkin.publisher.publish([placementEndedEvent(placementId)]);
    await waitFor(async () => (await checkin.followUps(placementId))?.status === 'ended', {
      what: 'ended',
    });
    const res = await post(`/placements/${placementId}/checkins`, coach, body);
    expect(res.status).toBe(409);
  });

  it('takes a participant link answer once, gives the first back for an identical retry, and refuses a second', async () => {
    const { placementId, plan } = await placementWithDueCheckins();
    const due = plan.checkins.find((c) => c.milestoneDay === 14 && c.respondent === 'participant')!;
    const secret = await linkFor(placementId, due.checkinId, 'participant-checkin');
    const headers = { 'x-link-secret': secret, 'idempotency-key': 'form-key-000001' };

    const opened = await fetch(`${checkin.url}/checkin-link`, {
      headers: { 'x-link-secret': secret },
    });
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({
      respondent: 'participant',
      milestoneDay: 14,
      status: 'open',
    });

    const send = (body: unknown, h: Record<string, string> = headers) =>
      fetch(`${checkin.url}/checkin-link/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...h },
        body: JSON.stringify(body),
      });
    const bad = await send({
      answers: { ...participantAnswers, social: { ...participantAnswers.social, wellbeing: 9 } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/answers\.social\.wellbeing/);

    const first = await send({ answers: participantAnswers });
    expect(first.status).toBe(201);
    const retry = await send({ answers: participantAnswers });
    expect(retry.status).toBe(200);
    const [retried, firstBody] = (await Promise.all([retry.json(), first.json()])) as {
      recordId: string;
    }[];
    expect(retried?.recordId).toBe(firstBody?.recordId);
    const again = await send(
      { answers: participantAnswers },
      { 'x-link-secret': secret, 'idempotency-key': 'form-key-000002' },
    );
    expect(again.status).toBe(409);

    const events = await checkin.events(
      placementId,
      (e) => e.some((x) => x.type === 'checkin.completed'),
      1_000,
    );
    const completed = events.filter((e) => e.type === 'checkin.completed') as CheckinCompletedV1[];
    expect(completed).toHaveLength(1);
    expect(completed[0]?.data.flags).toEqual({
      hoursCut: true,
      absences: true,
      accommodationMissing: true,
      transportProblem: true,
      supervisorConcern: false,
      lowWellbeing: true,
    });
    const reopened = await fetch(`${checkin.url}/checkin-link`, {
      headers: { 'x-link-secret': secret },
    });
    expect(await reopened.json()).toMatchObject({ status: 'completed' });
  });

  it('takes a supervisor answer with its concern, and refuses unknown, foreign and revoked links with 410', async () => {
    const { placementId, plan } = await placementWithDueCheckins();
    const participantDue = plan.checkins.find(
      (c) => c.milestoneDay === 14 && c.respondent === 'participant',
    )!;
    // a supervisor link for the participant's check-in is a link to nothing
    const wrong = await linkFor(placementId, participantDue.checkinId, 'supervisor-checkin');
    const res = await fetch(`${checkin.url}/checkin-link`, { headers: { 'x-link-secret': wrong } });
    expect(res.status).toBe(410);
    const unknown = await fetch(`${checkin.url}/checkin-link`, {
      headers: { 'x-link-secret': 'x'.repeat(43) },
    });
    expect(unknown.status).toBe(410);
    expect(JSON.stringify(await unknown.json())).toMatch(/unknown/);

    // day 30: the supervisor is asked; make it due now through the handler, as its job would
    const d30 = plan.checkins.find((c) => c.milestoneDay === 30 && c.respondent === 'supervisor')!;
    const secret = await linkFor(placementId, d30.checkinId, 'supervisor-checkin');
    const early = await fetch(`${checkin.url}/checkin-link/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-link-secret': secret },
      body: JSON.stringify({ answers: supervisorAnswers }),
    });
    expect(early.status).toBe(201);
    const events = await checkin.events(placementId, (e) =>
      e.some((x) => x.type === 'checkin.completed'),
    );
    const completed = events.find((e) => e.type === 'checkin.completed') as CheckinCompletedV1;
    expect(completed.data).toMatchObject({
      respondent: 'supervisor',
      channel: 'web-link',
      twoWay: true,
    });
    expect(completed.data.flags.supervisorConcern).toBe(true);
    expect(completed.data.scores.satisfaction).toBeNull();

    await checkin.publisher.publish([placementEndedEvent(placementId)]);
    await waitFor(async () => (await checkin.followUps(placementId))?.status === 'ended', {
      what: 'ended',
    });
    const participantSecret = await linkFor(
      placementId,
      participantDue.checkinId,
      'participant-checkin',
    );
    // a link made before the end was revoked with it; one made after answers 409 for an ended placement
    const after = await fetch(`${checkin.url}/checkin-link/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-link-secret': participantSecret },
      body: JSON.stringify({ answers: participantAnswers }),
    });
    expect(after.status).toBe(409);
    const revoked = await fetch(`${checkin.url}/checkin-link`, {
      headers: { 'x-link-secret': secret },
    });
    expect(revoked.status).toBe(410);
    expect(JSON.stringify(await revoked.json())).toMatch(/revoked/);
  });

  it('lets an admin change a programme policy, re-planning open plans on request; others may not', async () => {
    const { placementId, recorded } = await placementWithDueCheckins();
    const { programmeId } = targetOf(recorded).scope;
    const admin = testCaller('admin');
    const read = await checkin.api.get(`/programmes/${programmeId}/follow-up-policy`, admin);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ version: 0, graceDays: 7 });
    const manager = callerFor('programme-manager', 'own', targetOf(recorded).scope);
    const change = {
      version: 0,
      milestones: [
        { day: 7, respondents: ['coach'] },
        { day: 45, respondents: ['coach', 'participant'] },
      ],
      graceDays: 5,
      channels: { coach: ['phone'] },
      replanOpen: true,
    };
    expect(
      (await checkin.api.put(`/programmes/${programmeId}/follow-up-policy`, manager, change))
        .status,
    ).toBe(403);
    const bad = await checkin.api.put(`/programmes/${programmeId}/follow-up-policy`, admin, {
      ...change,
      milestones: [
        { day: 45, respondents: ['coach'] },
        { day: 7, respondents: ['coach'] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/milestones\.1\.day/);

    const saved = await checkin.api.put(
      `/programmes/${programmeId}/follow-up-policy`,
      admin,
      change,
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ policy: { version: 1, graceDays: 5 }, replanned: 1 });
    const stale = await checkin.api.put(
      `/programmes/${programmeId}/follow-up-policy`,
      admin,
      change,
    );
    expect(stale.status).toBe(409);

    const plan = (await checkin.followUps(placementId))!;
    const byStatus = (status: string) =>
      plan.checkins
        .filter((c) => c.status === status)
        .map((c) => `d${c.milestoneDay}-${c.respondent}`)
        .sort();
    expect(byStatus('scheduled')).toEqual(['d45-coach', 'd45-participant']);
    expect(byStatus('cancelled')).toContain('d30-supervisor');
    expect(plan.policyVersion).toBe(1);
  });
});
