import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import {
  apiClient,
  createTestEmployer,
  dropDatabases,
  serviceTestEnv,
  startTestSmtpServer,
  testCaller,
  type TestEmployer,
  type TestSmtpServer,
} from '@sanad/testing';
import { loadConfig as loadPlacementConfig } from '../../placement/src/config';
import { startPlacementService } from '../../placement/src/main';
import { loadConfig } from '../src/config';
import { PLACEMENTS_PAGE_SIZE } from '../src/http/placements-pages.forms';
import { startWebApp } from '../src/main';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import { createUserRepository } from '../src/persistence/users.repository';
import { errorSummaryOf, FormClient, type Page } from './support/form-client';
import {
  cleanUpWebTest,
  seedUsers,
  webTestEnv,
  type SeededUser,
  type TestRole,
} from './support/web-env';

/**
 * The placement pages for staff and employer users, through the web app, with the real placement
 * service, database, Redis and a real SMTP server: the list's filters and pages, each coach's
 * caseload, recording a placement (refused, replayed, mailed), sending the employer's link again,
 * and correcting a participant's details.
 */
describe('placement pages on the real servers', () => {
  const placementEnv = serviceTestEnv('placement');
  const env = webTestEnv();
  const PASSWORD = 'placement pages password';
  let smtp: TestSmtpServer;
  let placement: Awaited<ReturnType<typeof startPlacementService>>;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;
  let api: ReturnType<typeof apiClient>;
  let users: Record<TestRole, SeededUser>;
  let other: Record<TestRole, SeededUser>;
  let employer: TestEmployer;
  let otherEmployer: TestEmployer;
  let participantId: string;
  let otherParticipantId: string;

  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const staffCaller = (user: SeededUser, role: TestRole = 'coach') =>
    testCaller(role, { userId: user.id, programmeIds: user.programmeIds });

  const registerParticipant = async (coach: SeededUser, fullName: string) => {
    const res = await api.post('/participants', staffCaller(coach), {
      fullName,
      preferredLanguage: 'ar',
      programmeId: coach.programmeIds[0],
      coachId: coach.id,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(res.status).toBe(201);
    return res.body.participant.id as string;
  };

  const recordThroughApi = async (
    coach: SeededUser,
    participant: string,
    employerId: string,
    jobTitle: string,
    startDate = day(-10),
  ) => {
    const res = await api.post('/placements', staffCaller(coach), {
      participantId: participant,
      employerId,
      programmeId: coach.programmeIds[0],
      coachId: coach.id,
      jobTitle,
      startDate,
      hoursPerWeek: 20,
      wage: { amount: 250, currency: 'OMR', period: 'month' },
    });
    expect(res.status).toBe(201);
    return res.body.placement.id as string;
  };

  const placementCount = async (participant: string) =>
    (
      await api.get(
        `/placements?participantId=${participant}&limit=100`,
        testCaller('admin', { userId: users.admin.id }),
      )
    ).body.placements.length as number;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    placement = await startPlacementService(
      loadPlacementConfig({ ...placementEnv, SMTP_URL: smtp.url }),
    );
    const placementUrl = `http://127.0.0.1:${placement.port}`;
    api = apiClient(placementUrl, 'placement');
    web = await startWebApp(loadConfig({ ...env, PLACEMENT_URL: placementUrl }));
    url = `http://127.0.0.1:${web.port}`;
    users = await seedUsers(env, PASSWORD, 'placement-pages');
    other = await seedUsers(env, PASSWORD, 'placement-pages-other');

    const admin = testCaller('admin', { userId: users.admin.id });
    employer = await createTestEmployer(api, admin, { name: 'Muscat Public Archives' });
    otherEmployer = await createTestEmployer(api, admin, { name: 'Sohar Port Logistics' });
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createProgrammeRepository(db).save({
      id: users.coach.programmeIds[0] as string,
      name: 'Supported Employment – Muscat',
      createdAt: new Date(),
    });
    // the employer user works at the first employer
    await createUserRepository(db).update(users['employer-user'].id, { employerId: employer.id });
    await db.close();

    participantId = await registerParticipant(users.coach, 'Aisha Al-Balushi');
    otherParticipantId = await registerParticipant(other.coach, 'Khalid Al-Rawahi');
    // one more than a page for the first coach: the newest is "Clerk 27"
    for (let i = 1; i <= PLACEMENTS_PAGE_SIZE + 2; i += 1) {
      const start = i <= 3 ? day(-90) : day(-10);
      await recordThroughApi(users.coach, participantId, employer.id, `Clerk ${i}`, start);
    }
    await recordThroughApi(other.coach, otherParticipantId, otherEmployer.id, 'Harbour pilot');
  }, 60_000);

  afterAll(async () => {
    await web?.stop();
    await placement?.stop();
    await smtp?.stop();
    await dropDatabases([placementEnv.MONGO_DB]);
    await cleanUpWebTest(env);
  });

  const as = async (role: TestRole, who = users) => {
    const client = new FormClient(url);
    await client.submit('/sign-in', { email: who[role].email, password: PASSWORD });
    return client;
  };
  /** A page's HTML without the `<bdi>`s that isolate names inside sentences. */
  const textOf = (html: string) => html.replace(/<\/?bdi>/g, '');
  const jobTitles = (page: Page) =>
    [...page.html.matchAll(/<a href="\/placements\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);
  const nextLink = (page: Page) =>
    /<a class="link" href="([^"]+)" rel="next">/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');

  it('pages through the list newest first, keeping the filters, with a way back to the first page', async () => {
    const coach = await as('coach');
    const first = await coach.get('/placements');
    expect(first.status).toBe(200);
    expect(jobTitles(first)).toHaveLength(PLACEMENTS_PAGE_SIZE);
    expect(jobTitles(first)[0]).toBe(`Clerk ${PLACEMENTS_PAGE_SIZE + 2}`);
    expect(first.html).toContain('Muscat Public Archives'); // the employer by name
    expect(first.html).not.toContain('Aisha'); // lists never show names
    expect(first.html).toMatch(/<span dir="ltr">P-[A-Z0-9]{6}<\/span>/); // but the code
    expect(first.html).not.toContain('First page');

    const second = await coach.get(nextLink(first) as string);
    expect(jobTitles(second)).toEqual(['Clerk 2', 'Clerk 1']);
    expect(second.html).toContain('First page');
    expect(nextLink(second)).toBeUndefined();

    const filtered = await coach.get(`/placements?status=recorded&employerId=${employer.id}`);
    const next = nextLink(filtered) as string;
    expect(next).toContain('status=recorded');
    expect(next).toContain(`employerId=${employer.id}`);
    expect(next).toContain('cursor=');
    expect(jobTitles(await coach.get(next))).toHaveLength(2);
  });

  it('filters by start date, and names a date it cannot read', async () => {
    const coach = await as('coach');
    const early = await coach.get(`/placements?startTo=${day(-30)}`);
    expect(jobTitles(early).sort()).toEqual(['Clerk 1', 'Clerk 2', 'Clerk 3']);
    const late = await coach.get(`/placements?startFrom=${day(-30)}&startTo=${day(0)}`);
    expect(jobTitles(late)).toHaveLength(PLACEMENTS_PAGE_SIZE - 1);

    const bad = await coach.get('/placements?startFrom=31-02-2026');
    expect(bad.status).toBe(400);
    expect(errorSummaryOf(bad.html)).toEqual(['startFrom']);
    expect(bad.html).toContain('value="31-02-2026"');
  });

  it('shows each coach their own caseload only', async () => {
    const mine = await as('coach');
    const theirs = await as('coach', other);
    expect(jobTitles(await mine.get('/placements'))).not.toContain('Harbour pilot');
    expect(jobTitles(await theirs.get('/placements'))).toEqual(['Harbour pilot']);
    const id = /href="\/placements\/([0-9a-f-]{36})">Harbour pilot/.exec(
      (await theirs.get('/placements')).html,
    )?.[1] as string;
    expect((await mine.get(`/placements/${id}`)).status).toBe(404);
  });

  it("shows an employer user their organisation's placements only, without participant codes", async () => {
    const employerUser = await as('employer-user');
    const page = await employerUser.get('/placements');
    expect(page.status).toBe(200);
    expect(jobTitles(page)).toHaveLength(PLACEMENTS_PAGE_SIZE);
    expect(jobTitles(page)).not.toContain('Harbour pilot');
    expect(page.html).not.toContain('name="coachId"'); // no staff filters
    expect(page.html).not.toMatch(/P-[A-Z0-9]{4}/);
  });

  it('refuses a bad placement naming each field, and stores nothing', async () => {
    const coach = await as('coach');
    const before = await placementCount(participantId);
    const step1 = await coach.get(`/participants/${participantId}/placements/new`);
    expect(step1.status).toBe(200);
    expect(step1.html).toContain('method="get"');
    // an employer that is no id, or none the coach may choose: step 1 again, saying so
    for (const employerId of ['nope', randomUUID()]) {
      const again = await coach.get(
        `/participants/${participantId}/placements/new?employerId=${employerId}`,
      );
      expect(again.status).toBe(400);
      expect(errorSummaryOf(again.html)).toEqual(['employerId']);
      expect(again.html).toContain('Choose the employer');
      expect(again.html).toContain('method="get"');
    }
    const form = await coach.get(
      `/participants/${participantId}/placements/new?employerId=${employer.id}`,
    );
    const supervisor = employer.contacts.find((c) => c.role === 'supervisor')!;
    expect(form.html).toContain(`value="${supervisor.id}"`); // the employer's supervisors to choose
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)?.[1] as string;
    const fields = {
      idempotencyKey: key,
      employerId: employer.id,
      jobTitle: '',
      startDate: day(-5),
      hoursPerWeek: '0',
      wageAmount: '300',
      wageCurrency: 'OMR',
      wagePeriod: 'month',
    };
    const page = await coach.post(`/participants/${participantId}/placements/new`, fields);
    expect(page.status).toBe(400);
    expect(errorSummaryOf(page.html)).toEqual(['jobTitle', 'hoursPerWeek']);
    expect(page.html).toContain('Enter the job title');
    // the contract's bound on a job title (120), not a longer one of the form's own
    const long = await coach.post(`/participants/${participantId}/placements/new`, {
      ...fields,
      jobTitle: 'x'.repeat(121),
      hoursPerWeek: '٢٥',
    });
    expect(long.status).toBe(400);
    expect(errorSummaryOf(long.html)).toEqual(['jobTitle']);
    expect(page.html).toContain(`name="employerId" value="${employer.id}"`); // still the second step

    // what only the service knows: the start date is too long ago
    const late = await coach.post(`/participants/${participantId}/placements/new`, {
      ...fields,
      jobTitle: 'Records clerk',
      hoursPerWeek: '25',
      startDate: day(-800),
    });
    expect(late.status).toBe(400);
    expect(errorSummaryOf(late.html)).toEqual(['startDate']);
    expect(late.html).toContain('value="Records clerk"');
    expect(await placementCount(participantId)).toBe(before);
  });

  it('records once when the form is sent twice, and says where the confirmation link went', async () => {
    const coach = await as('coach');
    const before = await placementCount(participantId);
    const form = await coach.get(
      `/participants/${participantId}/placements/new?employerId=${employer.id}`,
    );
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)?.[1] as string;
    const supervisor = employer.contacts.find((c) => c.role === 'supervisor')!;
    const fields = {
      idempotencyKey: key,
      employerId: employer.id,
      supervisorId: supervisor.id,
      jobTitle: 'Digitisation assistant',
      startDate: day(-3),
      hoursPerWeek: '30',
      wageAmount: '325.5',
      wageCurrency: 'omr',
      wagePeriod: 'month',
      accommodations: ['screen-reader', 'flexible-schedule'],
    };
    const first = await coach.post(`/participants/${participantId}/placements/new`, fields);
    const second = await coach.post(`/participants/${participantId}/placements/new`, fields);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    const path = (first.location as string).replace(/\?.*$/, '');
    expect((second.location as string).replace(/\?.*$/, '')).toBe(path);
    expect(await placementCount(participantId)).toBe(before + 1);

    const shown = await coach.get(first.location as string);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Digitisation assistant');
    expect(textOf(shown.html)).toContain('The confirmation link was emailed to Huda Al-Balushi');
    expect(shown.html).toContain('Salim Al-Harthi'); // the supervisor
    expect(shown.html).toContain('Screen reader');
    expect(shown.html).toContain(`href="${path}/confirm"`);
    expect(shown.html).toContain(`href="${path}/change"`);
    await smtp.waitForMessage((m) => m.to.includes('hr@archives.employer.test'));

    // sending the link again says to whom and until when
    const resent = await coach.post(`${path}/employer-link`, {});
    expect(resent.status).toBe(303);
    const after = await coach.get(resent.location as string);
    expect(textOf(after.html)).toContain('The link was emailed to Huda Al-Balushi');
    expect(after.html).toMatch(/It works until \d{1,2} \w+ \d{4}/);

    // employer users may see the placement, not send its link
    const employerUser = await as('employer-user');
    const theirs = await employerUser.get(path);
    expect(theirs.status).toBe(200);
    expect(theirs.html).not.toContain('/employer-link');
    expect((await employerUser.post(`${path}/employer-link`, {})).status).toBe(404);
  });

  it('has a record link on the participant page, and no record form for employer users', async () => {
    const coach = await as('coach');
    const page = await coach.get(`/participants/${participantId}`);
    expect(page.html).toContain(`href="/participants/${participantId}/placements/new"`);
    expect(page.html).toContain(`href="/participants/${participantId}/edit"`);
    const employerUser = await as('employer-user');
    expect((await employerUser.get(`/participants/${participantId}/placements/new`)).status).toBe(
      404,
    );
  });

  it("corrects a participant's details, and refuses a stale form", async () => {
    const coach = await as('coach');
    const form = await coach.get(`/participants/${participantId}/edit`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="Aisha Al-Balushi"');
    const version = /name="version" value="(\d+)"/.exec(form.html)?.[1] as string;
    const fields = {
      version,
      fullName: 'Aisha S. Al-Balushi',
      phone: '+968 9988 7766',
      email: '',
      preferredLanguage: 'en',
      disabilityCategory: '',
      accommodationNeeds: 'Large-print documents',
    };
    const bad = await coach.post(`/participants/${participantId}/edit`, {
      ...fields,
      phone: '12',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryOf(bad.html)).toEqual(['phone']);

    const saved = await coach.post(`/participants/${participantId}/edit`, fields);
    expect(saved.status).toBe(303);
    const page = await coach.get(saved.location as string);
    expect(page.html).toContain('Aisha S. Al-Balushi');
    expect(page.html).toContain('+96899887766');
    expect(page.html).toContain('Their details are saved.');

    const stale = await coach.post(`/participants/${participantId}/edit`, {
      ...fields,
      fullName: 'Someone else',
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('value="Aisha S. Al-Balushi"'); // the record as it is now
    const now = await api.get(
      `/participants/${participantId}`,
      testCaller('admin', { userId: users.admin.id }),
    );
    expect(now.body.participant.fullName).toBe('Aisha S. Al-Balushi');
  });
});
