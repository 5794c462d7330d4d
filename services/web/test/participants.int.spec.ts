import {
  apiClient,
  bearerFor,
  createTestEmployer,
  dropDatabases,
  serviceTestEnv,
  testCaller,
} from '@sanad/testing';
import { loadConfig as loadPlacementConfig } from '../../placement/src/config';
import { startPlacementService } from '../../placement/src/main';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import { createUserRepository } from '../src/persistence/users.repository';
import { loadConfig } from '../src/config';
import { startWebApp } from '../src/main';
import mongoose from 'mongoose';
import { errorSummaryOf, FormClient } from './support/form-client';
import {
  cleanUpWebTest,
  seedUsers,
  webTestEnv,
  type SeededUser,
  type TestRole,
} from './support/web-env';

/**
 * A coach registers a participant, records their consent, a manager exports and pseudonymises
 * their data on request, and the admin sees every step in the placement service's audit log:
 * through the web app's pages, with the real placement service, database and Redis.
 */
describe('participant pages on the real servers', () => {
  const placementEnv = serviceTestEnv('placement');
  const env = webTestEnv();
  const PASSWORD = 'participants page password';
  let placement: Awaited<ReturnType<typeof startPlacementService>>;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;
  let users: Record<TestRole, SeededUser>;
  let participantPath: string;

  beforeAll(async () => {
    placement = await startPlacementService(loadPlacementConfig(placementEnv));
    web = await startWebApp(
      loadConfig({ ...env, PLACEMENT_URL: `http://127.0.0.1:${placement.port}` }),
    );
    url = `http://127.0.0.1:${web.port}`;
    users = await seedUsers(env, PASSWORD, 'participants');
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createProgrammeRepository(db).save({
      id: users.coach.programmeIds[0] as string,
      name: 'Supported Employment – Sohar',
      createdAt: new Date(),
    });
    await db.close();
  });
  afterAll(async () => {
    await web.stop();
    await placement.stop();
    await dropDatabases([placementEnv.MONGO_DB]);
    await cleanUpWebTest(env);
  });

  const as = async (role: TestRole) => {
    const client = new FormClient(url);
    await client.submit('/sign-in', { email: users[role].email, password: PASSWORD });
    return client;
  };
  const listed = async (client: FormClient) =>
    ((await client.get('/participants')).html.match(/href="\/participants\/[0-9a-f-]{36}"/g) ?? [])
      .length;

  it('refuses a bad registration naming each field, and stores nothing', async () => {
    const coach = await as('coach');
    const form = await coach.get('/participants/new');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)?.[1] as string;
    const page = await coach.post('/participants', {
      idempotencyKey: key,
      fullName: '',
      phone: '12345',
      preferredLanguage: 'ar',
      programmeId: '',
      coachId: users.coach.id,
      disabilityCategory: 'visual', // without the consent to report by category
    });
    expect(page.status).toBe(400);
    expect(errorSummaryOf(page.html)).toEqual([
      'fullName',
      'phone',
      'programmeId',
      'disabilityCategory',
    ]);
    expect(page.html).toContain('value="12345"'); // what they typed stays in the form
    expect(await listed(coach)).toBe(0);
  });

  it('registers once even when the form is sent twice (double click, retry)', async () => {
    const coach = await as('coach');
    const form = await coach.get('/participants/new');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)?.[1] as string;
    const fields = {
      idempotencyKey: key,
      fullName: 'Aisha Al-Balushi',
      phone: '+968 9123 4567',
      preferredLanguage: 'ar',
      programmeId: users.coach.programmeIds[0] as string,
      coachId: users.coach.id,
      consents: ['followUp', 'employerContact'],
    };
    const first = await coach.post('/participants', fields);
    const second = await coach.post('/participants', fields);
    expect(first.status).toBe(303);
    expect(second.location).toBe(first.location);
    participantPath = (first.location as string).replace(/\?.*$/, '');
    expect(await listed(coach)).toBe(1);
    const shown = await coach.get(participantPath);
    expect(shown.html).toContain('Aisha Al-Balushi');
    expect(shown.html).toContain('+96891234567');
  });

  it("shows the participant's placements on their page", async () => {
    const coach = await as('coach');
    const participantId = participantPath.split('/').pop() as string;
    const employer = await createTestEmployer(
      apiClient(`http://127.0.0.1:${placement.port}`, 'placement'),
      testCaller('admin'),
    );
    const res = await fetch(`http://127.0.0.1:${placement.port}/placements`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await bearerFor(
          testCaller('coach', { userId: users.coach.id, programmeIds: users.coach.programmeIds }),
          'placement',
        ),
      },
      body: JSON.stringify({
        participantId,
        employerId: employer.id,
        programmeId: users.coach.programmeIds[0],
        coachId: users.coach.id,
        jobTitle: 'Archive assistant',
        startDate: new Date().toISOString().slice(0, 10),
        hoursPerWeek: 25,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      }),
    });
    expect(res.status).toBe(201);
    expect((await coach.get(participantPath)).html).toContain('Archive assistant');
  });

  it('records consent withdrawn by the participant', async () => {
    const coach = await as('coach');
    await coach.get(participantPath);
    const saved = await coach.post(`${participantPath}/consents`, { consents: 'employerContact' });
    expect(saved.status).toBe(303);
    const page = await coach.get(participantPath);
    expect(page.html).toMatch(
      /id="consents" name="consents" type="checkbox" value="followUp"(?! checked)/,
    );
    expect(page.html).toMatch(/value="employerContact" checked/);
  });

  it('lets the manager export and pseudonymise on request; the coach may do neither', async () => {
    const coach = await as('coach');
    expect((await coach.get(`${participantPath}/export`)).status).toBe(403);

    const manager = await as('programme-manager');
    const exported = await manager.get(`${participantPath}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(JSON.parse(exported.html).participant.fullName).toBe('Aisha Al-Balushi');

    await manager.get(participantPath);
    const unconfirmed = await manager.post(`${participantPath}/erasure`, { mode: 'pseudonymise' });
    expect(unconfirmed.status).toBe(400);
    expect(errorSummaryOf(unconfirmed.html)).toEqual(['confirm']);
    expect((await manager.get(participantPath)).html).toContain('Aisha Al-Balushi');

    const done = await manager.post(`${participantPath}/erasure`, {
      mode: 'pseudonymise',
      confirm: 'yes',
    });
    expect(done.status).toBe(303);
    const after = await manager.get(participantPath);
    expect(after.html).not.toContain('Aisha Al-Balushi');
    expect(after.html).not.toContain('+96891234567');
  });

  it('shows the admin every read and change in the placement service’s audit log, no names', async () => {
    const admin = await as('admin');
    const page = await admin.get('/admin/audit?source=placement');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/notification--success/); // the chain is intact
    const exported = await admin.get('/admin/audit/export?source=placement');
    const actions = (JSON.parse(exported.html) as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['create', 'read', 'consent-change', 'export', 'erase']),
    );
    expect(exported.html).not.toContain('Aisha');
  });

  it('has no participant pages for employer users', async () => {
    const employer = await as('employer-user');
    expect((await employer.get('/participants')).status).toBe(404);
    expect((await employer.get(participantPath)).status).toBe(404);
  });

  it('lets the manager move the participant to another coach: the old coach loses them', async () => {
    const second = await seedUsers(env, PASSWORD, 'second-coach');
    // the new coach works in the same programme
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createUserRepository(db).update(second.coach.id, {
      programmeIds: users.coach.programmeIds,
    });
    await db.close();

    const manager = await as('programme-manager');
    const page = await manager.get(participantPath);
    expect(page.html).toContain(`value="${second.coach.id}"`);
    const version = /name="version" value="(\d+)"/.exec(page.html)?.[1] as string;
    const stale = await manager.post(`${participantPath}/coach`, {
      coachId: second.coach.id,
      version: String(Number(version) - 1),
    });
    expect(stale.status).toBe(409);
    expect(errorSummaryOf(stale.html)).toEqual(['coachId']);

    const moved = await manager.post(`${participantPath}/coach`, {
      coachId: second.coach.id,
      version,
    });
    expect(moved.status).toBe(303);
    expect((await (await as('coach')).get(participantPath)).status).toBe(404);
    const newCoach = new FormClient(url);
    await newCoach.submit('/sign-in', { email: second.coach.email, password: PASSWORD });
    expect((await newCoach.get(participantPath)).status).toBe(200);
  });
});
