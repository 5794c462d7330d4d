/**
 * A participant's check-in, across processes: a placement that started 20 days ago is confirmed at
 * the placement service; the check-in service plans it then (day 7 is past its grace period and
 * missed, day 14 is due), makes the participant's signed link and asks the placement service, which
 * alone holds addresses, to mail it (a real SMTP server in its own process), in Arabic. The link
 * from the received mail opens the check-in and answers it; checkin.completed carries scores and
 * flags, never the answers or anyone's name, email or phone. With the follow-up consent withdrawn,
 * the participant's next check-in is skipped and nobody is mailed. Each service runs as built.
 */
import { Queue } from 'bullmq';
import { followUpJobId, Queues, Topics } from '@sanad/contracts';
import {
  collectEvents,
  createTestEmployer,
  servers,
  startTestSmtpServer,
  testCaller,
  testKafka,
  waitFor,
  type EventCollector,
  type ReceivedMail,
  type TestSmtpServer,
} from '@sanad/testing';
import { cleanUp, startServices, terminate, type Running } from './support/services';

const WEB = 'http://127.0.0.1:4100';
const DAY_MS = 86_400_000;

interface Checkin {
  checkinId: string;
  milestoneDay: number;
  respondent: 'coach' | 'participant' | 'supervisor';
  dueDate: string;
  missAfter: string;
  status: string;
  skipReason?: string;
  invitation?: { sent: boolean; reason?: string; at: string };
}
interface FollowUps {
  status: string;
  startDate: string | null;
  consents: { followUp: boolean; employerContact: boolean } | null;
  checkins: Checkin[];
  records: { checkinId: string | null; respondent: string; channel: string; twoWay: boolean }[];
}

/** The people of this journey: none of it may ever reach a check-in event. */
const participant = {
  fullName: 'عائشة البلوشية',
  email: 'aisha.checkin@participant.test',
  phone: '+96891112233',
};
const hr = { fullName: 'Huda Al-Balushi', email: 'hr@archives.employer.test' };
const supervisor = { fullName: 'Salim Al-Harthi', email: 'salim@archives.employer.test' };

/** The participant's answers: fewer hours than agreed and a transport problem, nothing in words. */
const answers = {
  stability: {
    stillEmployed: true,
    hoursLastWeek: 20,
    absenceDays: 0,
    lateDays: 1,
    wageChange: 'none',
  },
  professional: { copesWithTasks: 4, supervisorRelation: 4, accommodationsInPlace: 'yes' },
  social: { coworkerRelations: 4, feelsIncluded: 4, transportProblem: true, wellbeing: 4 },
  satisfaction: 4,
};

describe('a participant answers their check-in from the mailed link', () => {
  let smtp: TestSmtpServer;
  let services: Running[] = [];
  let checkinEvents: EventCollector;
  let queue: Queue | undefined;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    services = await startServices(['placement', 'checkin'], 28_000, {
      placement: { SMTP_URL: smtp.url, WEB_BASE_URL: WEB },
      checkin: { WEB_BASE_URL: WEB },
    });
    const prefix = (services[0] as Running).env.KAFKA_TOPIC_PREFIX;
    checkinEvents = await collectEvents(testKafka(), prefix + Topics.checkin);
  });
  afterAll(async () => {
    await checkinEvents?.stop();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await cleanUp(services);
    await smtp?.stop();
  });

  it('mails the due check-in in Arabic, takes the answers by link, and skips it without consent', async () => {
    const [placement, checkin] = services as [Running, Running];
    const programmeId = '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2da012';
    const coach = testCaller('coach', { programmeIds: [programmeId] });

    const employer = await createTestEmployer(placement.api, coach, {
      contacts: [
        { role: 'hr', ...hr, preferredLanguage: 'en' },
        { role: 'supervisor', ...supervisor, preferredLanguage: 'en' },
      ],
    });
    const supervisorId = employer.contacts.find((c) => c.role === 'supervisor')?.id;
    expect(supervisorId).toBeDefined();
    const registered = await placement.api.post('/participants', coach, {
      ...participant,
      preferredLanguage: 'ar',
      programmeId,
      coachId: coach.userId,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const participantId = (registered.body.participant as { id: string }).id;

    const startDate = new Date(Date.now() - 20 * DAY_MS).toISOString().slice(0, 10);
    const terms = {
      jobTitle: 'Archive assistant',
      startDate,
      hoursPerWeek: 30,
      wage: { amount: 330, currency: 'OMR', period: 'month' },
    };
    const recorded = await placement.api.post('/placements', coach, {
      participantId,
      employerId: employer.id,
      programmeId,
      coachId: coach.userId,
      supervisorId,
      ...terms,
    });
    expect(recorded.status).toBe(201);
    const placementId = (recorded.body.placement as { id: string }).id;
    const followUps = async () => {
      const res = await checkin.api.get(`/placements/${placementId}/follow-ups`, coach);
      return res.status === 200 ? (res.body as FollowUps) : undefined;
    };
    const find = (plan: FollowUps, day: number, respondent: Checkin['respondent']) =>
      plan.checkins.find((c) => c.milestoneDay === day && c.respondent === respondent);

    // Nothing is planned before the confirmation.
    const awaiting = await waitFor(followUps, {
      timeoutMs: 30_000,
      what: 'the check-in service to learn of the recorded placement',
    });
    expect(awaiting.status).toBe('awaiting-confirmation');
    expect(awaiting.checkins).toEqual([]);

    const confirmed = await placement.api.post(`/placements/${placementId}/confirmation`, coach, {
      version: 1,
      terms,
      accommodations: ['flexible-schedule'],
    });
    expect(confirmed.status).toBe(200);

    // Day 7 was due 13 days ago and its week of grace is over: missed, and its participant is not
    // asked so late. Day 14 was due 6 days ago and has a day of grace left: due, and mailed.
    const planned = await waitFor(
      async () => {
        const plan = await followUps();
        if (!plan || plan.status !== 'open') return undefined;
        const ready =
          find(plan, 7, 'coach')?.status === 'missed' &&
          find(plan, 7, 'participant')?.status === 'missed' &&
          find(plan, 7, 'participant')?.invitation !== undefined &&
          find(plan, 14, 'coach')?.status === 'due' &&
          find(plan, 14, 'participant')?.invitation !== undefined;
        return ready ? plan : undefined;
      },
      { timeoutMs: 30_000, what: 'day 7 missed and day 14 due, with their invitations settled' },
    );
    expect(planned.startDate).toBe(startDate);
    expect(find(planned, 7, 'participant')?.invitation).toMatchObject({
      sent: false,
      reason: 'grace-over',
    });
    const day14 = find(planned, 14, 'participant') as Checkin;
    expect(day14).toMatchObject({ status: 'due', invitation: { sent: true } });
    expect(
      planned.checkins.filter((c) => c.milestoneDay > 14).every((c) => c.status === 'scheduled'),
    ).toBe(true);

    // The mail: to the participant, in Arabic, with the link in Arabic.
    const toParticipant = (m: ReceivedMail) => m.to.includes(participant.email);
    const mail = await smtp.waitForMessage(toParticipant, 15_000);
    expect(mail.subject).toMatch(/[\u0600-\u06FF]/);
    expect(mail.text).toMatch(/[\u0600-\u06FF]/);
    const secret = new RegExp(`${WEB}/c/([\\w-]+)\\?lang=ar`).exec(mail.text)?.[1];
    expect(secret).toBeDefined();

    const link = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${checkin.url}${path}`, {
        ...init,
        headers: {
          'x-link-secret': secret as string,
          'content-type': 'application/json',
          ...(init.headers as Record<string, string> | undefined),
        },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const opened = await link('/checkin-link');
    expect(opened).toMatchObject({
      status: 200,
      body: {
        respondent: 'participant',
        milestoneDay: 14,
        dueDate: day14.dueDate,
        jobTitle: 'Archive assistant',
        // the language its mail was written in, for the page
        language: 'ar',
        status: 'open',
      },
    });

    const wrong = await link('/checkin-link/answers', {
      method: 'POST',
      body: JSON.stringify({
        answers: { ...answers, social: { ...answers.social, wellbeing: 9 } },
      }),
    });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('answers.social.wellbeing');

    const submit = () =>
      link('/checkin-link/answers', {
        method: 'POST',
        headers: { 'idempotency-key': 'e2e-checkin-journey-answers' },
        body: JSON.stringify({ answers }),
      });
    const answered = await submit();
    expect(answered.status).toBe(201);
    expect(answered.body).toEqual({
      recordId: expect.any(String),
      recordedAt: expect.any(String),
    });
    // A retry (the form sent twice) is the same answer, not a second one.
    expect(await submit()).toEqual({ status: 200, body: answered.body });

    const completedEvent = await waitFor(
      async () =>
        checkinEvents.events.find(
          (m) =>
            m.key === placementId &&
            m.event.type === 'checkin.completed' &&
            m.event.data.checkinId === day14.checkinId,
        ),
      { timeoutMs: 30_000, what: 'checkin.completed on the check-in topic' },
    );
    const data = completedEvent.event.data;
    expect(Object.keys(data).sort()).toEqual(
      [
        'channel',
        'checkinId',
        'completedAt',
        'flags',
        'hours',
        'milestoneDay',
        'placementId',
        'respondent',
        'scores',
        'twoWay',
      ].sort(),
    );
    expect(data).toMatchObject({
      placementId,
      milestoneDay: 14,
      respondent: 'participant',
      channel: 'web-link',
      twoWay: true,
      flags: { hoursCut: true, transportProblem: true, absences: false, lowWellbeing: false },
      hours: { lastWeek: 20, contracted: 30 },
    });
    for (const score of Object.values(data.scores as Record<string, unknown>)) {
      expect(score).toEqual(expect.any(Number));
      expect(score as number).toBeGreaterThanOrEqual(0);
      expect(score as number).toBeLessThanOrEqual(100);
    }

    const answeredPlan = await waitFor(
      async () => {
        const plan = await followUps();
        return plan && find(plan, 14, 'participant')?.status === 'completed' ? plan : undefined;
      },
      { timeoutMs: 10_000, what: 'the day-14 participant check-in completed' },
    );
    expect(find(answeredPlan, 14, 'participant')).toMatchObject({
      status: 'completed',
      invitation: { sent: true },
    });
    expect(find(answeredPlan, 14, 'coach')?.status).toBe('due');
    expect(answeredPlan.records[0]).toMatchObject({
      checkinId: day14.checkinId,
      respondent: 'participant',
      channel: 'web-link',
      twoWay: true,
    });

    // The participant withdraws their follow-up consent at the placement service.
    const withdrawn = await placement.api.put(`/participants/${participantId}/consents`, coach, {
      followUp: false,
    });
    expect(withdrawn.status).toBe(200);
    await waitFor(async () => (await followUps())?.consents?.followUp === false, {
      timeoutMs: 30_000,
      what: 'the check-in service to learn of the withdrawn follow-up consent',
    });

    // Day 30 comes (its delayed jobs fire now): the participant's check-in is skipped, the
    // supervisor's is mailed (employer contact is still agreed), in the supervisor's English.
    queue = new Queue(Queues.followUpDue, {
      connection: { url: servers.redisUrl },
      prefix: checkin.env.QUEUE_PREFIX,
    });
    const fireNow = async (respondent: Checkin['respondent']) => {
      const job = await queue?.getJob(followUpJobId(placementId, 30, respondent));
      expect(await job?.getState()).toBe('delayed');
      await job?.promote();
    };
    await fireNow('participant');
    const skipped = await waitFor(
      async () => {
        const plan = await followUps();
        const day30 = plan && find(plan, 30, 'participant');
        return day30?.status === 'skipped' ? day30 : undefined;
      },
      { timeoutMs: 30_000, what: 'the day-30 participant check-in skipped' },
    );
    expect(skipped).toMatchObject({ skipReason: 'no-consent' });
    expect(skipped.invitation).toBeUndefined();

    await fireNow('supervisor');
    const supervisorMail = await smtp.waitForMessage(
      (m) => m.to.includes(supervisor.email),
      30_000,
    );
    expect(supervisorMail.text).toMatch(new RegExp(`${WEB}/c/[\\w-]+\\?lang=en`));
    // Mails go out in the order the check-ins fall due: the participant got none after the first.
    expect((await smtp.messages()).filter(toParticipant)).toHaveLength(1);

    // No name, email or phone of anyone in any check-in event: ids and facts only.
    await checkinEvents.readAll();
    const published = checkinEvents.events.filter((m) => m.key === placementId);
    expect(published.map((m) => m.event.type)).toEqual(
      expect.arrayContaining(['checkin.scheduled', 'checkin.due', 'checkin.missed']),
    );
    const everything = JSON.stringify(checkinEvents.events);
    for (const personal of [
      participant.fullName,
      participant.email,
      participant.phone,
      participant.phone.slice(1),
      hr.fullName,
      hr.email,
      supervisor.fullName,
      supervisor.email,
    ]) {
      expect(everything).not.toContain(personal);
    }
    expect(everything).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    expect(everything).not.toContain(secret as string);
    expect(everything).not.toContain('/c/');

    expect(await terminate(services)).toEqual([0, 0]);
  });
});
