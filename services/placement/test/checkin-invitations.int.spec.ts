import { randomUUID } from 'node:crypto';
import { generateServiceTokenKeys, PrivateKeyEnv } from '@sanad/auth';
import {
  apiClient,
  bearerFor,
  createTestEmployer,
  dropDatabases,
  peerBearerFor,
  serviceTestEnv,
  startTestSmtpServer,
  testCaller,
  type TestEmployer,
  type TestSmtpServer,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { startPlacementService } from '../src/main';
import { startPlacement, type RunningPlacement } from './support/start-placement';

const WEB = 'http://127.0.0.1:4999';
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Answer {
  sent?: boolean;
  language?: string;
  reason?: string;
  error?: { code: string; message: string; problems?: { path: string }[] };
}

/**
 * POST /internal/checkin-invitations on the real servers, with mail delivered to a real SMTP
 * server in its own process: the check-in service (its peer token) asks, the placement service
 * finds the address and the language, checks the consent, and mails.
 */
describe('check-in invitations mailed by the placement service', () => {
  let smtp: TestSmtpServer;
  let placement: RunningPlacement;
  let employer: TestEmployer;
  const programmeId = randomUUID();
  const coach = testCaller('coach', { programmeIds: [programmeId] });
  const SUPERVISOR = `supervisor-${randomUUID().slice(0, 8)}@works.employer.test`;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    placement = await startPlacement({ SMTP_URL: smtp.url, WEB_BASE_URL: WEB });
    employer = await createTestEmployer(placement.api, coach, {
      name: 'Sohar Works',
      contacts: [
        {
          role: 'hr',
          fullName: 'Huda Al-Balushi',
          email: 'hr@works.employer.test',
          preferredLanguage: 'ar',
        },
        {
          role: 'supervisor',
          fullName: 'Sam Carter',
          email: SUPERVISOR,
          preferredLanguage: 'en',
        },
        { role: 'supervisor', fullName: 'No Mail', preferredLanguage: 'en' },
      ],
    });
  });
  afterAll(async () => {
    await placement?.stop();
    await smtp?.stop();
  });

  const supervisorId = (name: string) => employer.contacts.find((c) => c.fullName === name)!.id;

  /** A participant (Arabic, with an email unless told) and their placement; ids and address. */
  const setUp = async ({
    consents = { followUp: true, employerContact: true },
    email = `p-${randomUUID().slice(0, 8)}@mail.test`,
    supervisor = 'Sam Carter' as string | null,
  } = {}) => {
    const registered = await placement.api.post('/participants', coach, {
      fullName: 'Aisha Al-Rawahi',
      preferredLanguage: 'ar',
      ...(email ? { email } : {}),
      programmeId,
      coachId: coach.userId,
      consents: { ...consents, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const participantId = registered.body.participant.id as string;
    const recorded = await placement.api.post('/placements', coach, {
      participantId,
      employerId: employer.id,
      programmeId,
      coachId: coach.userId,
      jobTitle: 'Warehouse assistant',
      startDate: day(-30),
      hoursPerWeek: 30,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
      ...(supervisor ? { supervisorId: supervisorId(supervisor) } : {}),
    });
    expect(recorded.status).toBe(201);
    return { participantId, placementId: recorded.body.placement.id as string, email };
  };

  const body = (placementId: string, respondent: 'participant' | 'supervisor') => {
    const secret = randomUUID().replace(/-/g, '');
    return {
      placementId,
      checkinId: randomUUID(),
      respondent,
      milestoneDay: 30,
      // as the check-in service makes it: without a language, which only this service knows
      url: `${WEB}/c/${secret}`,
      expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    };
  };

  const invite = async (payload: object, authorization?: string, url = placement.url) => {
    const res = await fetch(`${url}/internal/checkin-invitations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: authorization ?? (await peerBearerFor('placement')),
      },
      body: JSON.stringify(payload),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };

  it('mails the participant in Arabic when their language is Arabic, and audits it', async () => {
    const { placementId, participantId, email } = await setUp();
    const request = body(placementId, 'participant');
    const res = await invite(request);
    expect(res).toEqual({ status: 200, body: { sent: true, language: 'ar' } });

    const mail = await smtp.waitForMessage((m) => m.to.includes(email));
    expect(mail.subject).toBe('كيف يسير عملك؟ سؤال قصير من سند');
    // the link as mailed, in the participant's language
    const mailedUrl = mail.text.split('\n').find((line) => line.startsWith(request.url));
    expect(mailedUrl).toBe(`${request.url}?lang=ar`);
    expect(mailedUrl?.endsWith('?lang=ar')).toBe(true);
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.text).toContain('مرّ 30 يومًا');

    const audit = await placement.auditAbout(participantId);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'read',
        purpose: 'follow-up',
        actor: { userId: null, role: 'system' },
      }),
    );
  });

  it("mails the placement's supervisor in English, naming the participant", async () => {
    const { placementId, participantId } = await setUp();
    const request = body(placementId, 'supervisor');
    const res = await invite(request);
    expect(res).toEqual({ status: 200, body: { sent: true, language: 'en' } });

    const mail = await smtp.waitForMessage(
      (m) => m.to.includes(SUPERVISOR) && m.text.includes(`${request.url}?lang=en`),
    );
    expect(mail.subject).toBe('How is Aisha Al-Rawahi doing at work? A short question from Sanad');
    expect(mail.html).toContain('dir="ltr"');
    expect(mail.text).toContain('Warehouse assistant');
    const audit = await placement.auditAbout(participantId);
    expect(audit).toContainEqual(
      expect.objectContaining({
        purpose: 'employer-contact',
        actor: { userId: null, role: 'system' },
      }),
    );
  });

  it('mails nobody without the consent: followUp for the participant, employerContact for the supervisor', async () => {
    const noFollowUp = await setUp({ consents: { followUp: false, employerContact: true } });
    expect((await invite(body(noFollowUp.placementId, 'participant'))).body).toEqual({
      sent: false,
      reason: 'no-consent',
    });
    const noEmployer = await setUp({ consents: { followUp: true, employerContact: false } });
    expect((await invite(body(noEmployer.placementId, 'supervisor'))).body).toEqual({
      sent: false,
      reason: 'no-consent',
    });
    // the participant who agreed to follow-up is still written to
    expect((await invite(body(noEmployer.placementId, 'participant'))).body).toMatchObject({
      sent: true,
    });
    await smtp.waitForMessage((m) => m.to.includes(noEmployer.email));
    const sent = await smtp.messages();
    expect(sent.some((m) => m.to.includes(noFollowUp.email))).toBe(false);
  });

  it('says no-contact without an address: no participant email, no supervisor, one without email', async () => {
    const noEmail = await setUp({ email: '' });
    expect((await invite(body(noEmail.placementId, 'participant'))).body).toEqual({
      sent: false,
      reason: 'no-contact',
    });
    const noSupervisor = await setUp({ supervisor: null });
    expect((await invite(body(noSupervisor.placementId, 'supervisor'))).body).toEqual({
      sent: false,
      reason: 'no-contact',
    });
    const withoutMail = await setUp({ supervisor: 'No Mail' });
    expect((await invite(body(withoutMail.placementId, 'supervisor'))).body).toEqual({
      sent: false,
      reason: 'no-contact',
    });
  });

  it('says placement-ended once the placement has ended, and 404 for an unknown one', async () => {
    const { placementId } = await setUp();
    const ended = await placement.api.post(`/placements/${placementId}/ending`, coach, {
      version: 1,
      endDate: day(-1),
      reason: 'resigned',
      initiatedBy: 'participant',
    });
    expect(ended.status).toBe(200);
    expect((await invite(body(placementId, 'participant'))).body).toEqual({
      sent: false,
      reason: 'placement-ended',
    });
    const unknown = await invite(body(randomUUID(), 'participant'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('NOT_FOUND');
  });

  it("refuses (401) no token, a forged or expired one, and a web user's token", async () => {
    const { placementId } = await setUp();
    const request = body(placementId, 'participant');
    const forgedKey = PrivateKeyEnv.parse(generateServiceTokenKeys().privateJwk);
    const refusals = [
      ['forged', await peerBearerFor('placement', { privateKey: forgedKey })],
      ['expired', await peerBearerFor('placement', { ttlSeconds: -60 })],
      ['for another service', await peerBearerFor('alerting')],
      ['another issuer', await peerBearerFor('placement', { issuer: 'sanad-web' })],
      ["a web user's", await bearerFor(testCaller('admin'), 'placement')],
      ['not a bearer', 'Basic dXNlcjpwYXNz'],
    ] as const;
    for (const [what, authorization] of refusals) {
      const res = await invite(request, authorization);
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({
        what,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
    const none = await fetch(`${placement.url}/internal/checkin-invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 400 naming the wrong field', async () => {
    const { placementId } = await setUp();
    const good = body(placementId, 'participant');
    const problemsOf = async (payload: object) => {
      const res = await invite(payload);
      expect(res.status).toBe(400);
      return (res.body.error?.problems ?? []).map((p) => p.path);
    };
    expect(await problemsOf({ ...good, milestoneDay: 0 })).toEqual(['milestoneDay']);
    expect(await problemsOf({ ...good, url: 'javascript:alert(1)' })).toEqual(['url']);
    expect(await problemsOf({ ...good, respondent: 'coach' })).toEqual(['respondent']);
    expect(await problemsOf({ ...good, email: 'x@y.z' })).toContain('email');
    const { expiresAt: _omitted, ...withoutExpiry } = good;
    expect(await problemsOf(withoutExpiry)).toEqual(['expiresAt']);
  });
});

describe('check-in invitations when not configured', () => {
  const started: { stop(): Promise<void> }[] = [];
  const dbs: string[] = [];
  afterAll(async () => {
    for (const service of started) await service.stop();
    await dropDatabases(dbs);
  });

  const start = async (without: string[]) => {
    const env: Record<string, string> = { ...serviceTestEnv('placement') };
    for (const key of without) delete env[key];
    const service = await startPlacementService(loadConfig(env));
    started.push(service);
    dbs.push(env.MONGO_DB!);
    return `http://127.0.0.1:${service.port}`;
  };
  const invite = async (url: string) =>
    fetch(`${url}/internal/checkin-invitations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await peerBearerFor('placement'),
      },
      body: JSON.stringify({
        placementId: randomUUID(),
        checkinId: randomUUID(),
        respondent: 'participant',
        milestoneDay: 7,
        url: 'http://127.0.0.1:4999/c/abc?lang=en',
        expiresAt: new Date().toISOString(),
      }),
    });

  it('answers 503 saying so when CHECKIN_TOKEN_PUBLIC_KEY is not set', async () => {
    const url = await start(['CHECKIN_TOKEN_PUBLIC_KEY']);
    const res = await invite(url);
    expect(res.status).toBe(503);
    const answer = (await res.json()) as Answer;
    expect(answer.error?.message).toMatch(/CHECKIN_TOKEN_PUBLIC_KEY is not set/);
  });

  it('says mail-not-configured without an SMTP server', async () => {
    const url = await start(['SMTP_URL']);
    const admin = testCaller('admin');
    const programmeId = randomUUID();
    const api = apiClient(url, 'placement');
    const registered = await api.post('/participants', admin, {
      fullName: 'Omar Said',
      preferredLanguage: 'en',
      email: 'omar@mail.test',
      programmeId,
      coachId: randomUUID(),
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const employer = await createTestEmployer(api, admin);
    const recorded = await api.post('/placements', admin, {
      participantId: registered.body.participant.id,
      employerId: employer.id,
      programmeId,
      coachId: registered.body.participant.coachId,
      jobTitle: 'Clerk',
      startDate: day(-7),
      hoursPerWeek: 20,
      wage: { amount: 300, currency: 'OMR', period: 'month' },
    });
    expect(recorded.status).toBe(201);
    const res = await fetch(`${url}/internal/checkin-invitations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await peerBearerFor('placement'),
      },
      body: JSON.stringify({
        placementId: recorded.body.placement.id,
        checkinId: randomUUID(),
        respondent: 'participant',
        milestoneDay: 7,
        url: 'http://127.0.0.1:4999/c/abc?lang=en',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sent: false, reason: 'mail-not-configured' });
  });
});
