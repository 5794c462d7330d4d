/**
 * The "done when", across processes: a coach records a placement at the placement service,
 * which mails the employer's HR contact a signed link (a real SMTP server in its own process); the
 * link from the received mail confirms the placement, with the hours corrected, as the web app's
 * form does; and placement.confirmed reaches the check-in service, which takes it (its inbox holds
 * the claim for that event). The browser side of the same journey is in services/web.
 */
import mongoose from 'mongoose';
import { Topics } from '@sanad/contracts';
import {
  collectEvents,
  createTestEmployer,
  servers,
  startTestSmtpServer,
  testCaller,
  testKafka,
  waitFor,
  type EventCollector,
  type TestSmtpServer,
} from '@sanad/testing';
import { cleanUp, startServices, type Running } from './support/services';

const WEB = 'http://127.0.0.1:4100';

describe('a placement confirmed from the emailed link reaches the check-in service', () => {
  let smtp: TestSmtpServer;
  let services: Running[] = [];
  let published: EventCollector;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    services = await startServices(['placement', 'checkin'], 27_000, {
      placement: { SMTP_URL: smtp.url, WEB_BASE_URL: WEB },
    });
    const prefix = (services[0] as Running).env.KAFKA_TOPIC_PREFIX;
    published = await collectEvents(testKafka(), prefix + Topics.placement);
  });
  afterAll(async () => {
    await published?.stop();
    await cleanUp(services);
    await smtp?.stop();
  });

  it('records, mails the link, confirms through it, and the check-in service takes the event', async () => {
    const [placement, checkin] = services as [Running, Running];
    const programmeId = '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9f12';
    const coach = testCaller('coach', { programmeIds: [programmeId] });
    const employer = await createTestEmployer(placement.api, coach);
    const registered = await placement.api.post('/participants', coach, {
      fullName: 'Salma Al-Hinai',
      preferredLanguage: 'ar',
      programmeId,
      coachId: coach.userId,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const startDate = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const recorded = await placement.api.post('/placements', coach, {
      participantId: registered.body.participant.id,
      employerId: employer.id,
      programmeId,
      coachId: coach.userId,
      jobTitle: 'Customer service assistant',
      startDate,
      hoursPerWeek: 30,
      wage: { amount: 310, currency: 'OMR', period: 'month' },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.employerLink).toMatchObject({ sent: true });
    const placementId = recorded.body.placement.id as string;

    const mail = await smtp.waitForMessage((m) => m.text.includes('Customer service assistant'));
    expect(mail.to).toEqual(['hr@archives.employer.test']);
    const secret = new RegExp(`${WEB}/e/([\\w-]+)`).exec(mail.text)?.[1];
    expect(secret).toBeDefined();

    const confirmed = await fetch(`${placement.url}/employer-link/confirmation`, {
      method: 'POST',
      headers: {
        'x-link-secret': secret as string,
        'content-type': 'application/json',
        'idempotency-key': 'e2e-employer-confirmation',
      },
      body: JSON.stringify({
        version: 1,
        terms: {
          jobTitle: 'Customer service assistant',
          startDate,
          hoursPerWeek: 26,
          wage: { amount: 310, currency: 'OMR', period: 'month' },
        },
        accommodations: ['flexible-schedule'],
      }),
    });
    expect(confirmed.status).toBe(200);

    const event = await waitFor(
      async () =>
        published.events.find(
          (m) => m.key === placementId && m.event.type === 'placement.confirmed',
        ),
      { timeoutMs: 30_000, what: 'placement.confirmed on the topic' },
    );
    expect(event.event.data).toMatchObject({
      terms: { hoursPerWeek: 26 },
      accommodations: ['flexible-schedule'],
      confirmedBy: 'employer-link',
    });

    const checkinDb = await mongoose
      .createConnection(servers.mongoUrl, { dbName: checkin.env.MONGO_DB })
      .asPromise();
    try {
      await waitFor(
        async () =>
          (await checkinDb.collection('inbox').countDocuments({ eventId: event.event.eventId })) ===
          1,
        { timeoutMs: 30_000, what: 'the check-in service to take placement.confirmed' },
      );
    } finally {
      await checkinDb.close();
    }
  });
});
