import mongoose from 'mongoose';
import {
  apiClient,
  createTestEmployer,
  dropDatabases,
  serviceTestEnv,
  testCaller,
  type TestEmployer,
} from '@sanad/testing';
import { loadConfig as loadPlacementConfig } from '../../placement/src/config';
import { startPlacementService } from '../../placement/src/main';
import { loadConfig } from '../src/config';
import { startWebApp } from '../src/main';
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
 * The employer pages through the web app with the real placement service, database and Redis:
 * staff add employers with their contacts (refused, replayed), find them by sector, region and
 * name, edit them (a stale form is shown again as the employer is now); an employer user sees
 * and edits their own organisation only.
 */
describe('employer pages on the real servers', () => {
  const placementEnv = serviceTestEnv('placement');
  const env = webTestEnv();
  const PASSWORD = 'employer pages password';
  let placement: Awaited<ReturnType<typeof startPlacementService>>;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;
  let api: ReturnType<typeof apiClient>;
  let users: Record<TestRole, SeededUser>;
  let ownEmployer: TestEmployer;
  let createdPath: string;

  beforeAll(async () => {
    placement = await startPlacementService(loadPlacementConfig(placementEnv));
    const placementUrl = `http://127.0.0.1:${placement.port}`;
    api = apiClient(placementUrl, 'placement');
    web = await startWebApp(loadConfig({ ...env, PLACEMENT_URL: placementUrl }));
    url = `http://127.0.0.1:${web.port}`;
    users = await seedUsers(env, PASSWORD, 'employer-pages');
    ownEmployer = await createTestEmployer(api, testCaller('admin', { userId: users.admin.id }), {
      name: 'Nizwa Date Factory',
      sector: 'manufacturing',
      region: 'ad-dakhiliyah',
    });
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createUserRepository(db).update(users['employer-user'].id, {
      employerId: ownEmployer.id,
    });
    await db.close();
  });

  afterAll(async () => {
    await web?.stop();
    await placement?.stop();
    await dropDatabases([placementEnv.MONGO_DB]);
    await cleanUpWebTest(env);
  });

  const as = async (role: TestRole) => {
    const client = new FormClient(url);
    await client.submit('/sign-in', { email: users[role].email, password: PASSWORD });
    return client;
  };
  const names = (page: Page) =>
    [...page.html.matchAll(/<a href="\/employers\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);
  const keyOf = (page: Page) =>
    /name="idempotencyKey" value="([^"]+)"/.exec(page.html)?.[1] as string;

  const newEmployer = (key: string) => ({
    idempotencyKey: key,
    name: 'Salalah Grand Hotel',
    sector: 'hospitality',
    region: 'dhofar',
    'contacts.0.role': 'hr',
    'contacts.0.fullName': 'Maryam Al-Shanfari',
    'contacts.0.email': 'hr@grandhotel.employer.test',
    'contacts.0.phone': '+968 2321 0000',
    'contacts.0.preferredLanguage': 'ar',
    'contacts.1.role': 'supervisor',
    'contacts.1.fullName': 'Ahmed Al-Mashani',
    'contacts.1.email': '',
    'contacts.1.phone': '',
    'contacts.1.preferredLanguage': 'en',
    'contacts.2.role': 'supervisor',
    'contacts.2.fullName': '',
    'contacts.2.email': '',
    'contacts.2.phone': '',
    'contacts.2.preferredLanguage': 'ar',
  });

  it('refuses an employer without what it needs, naming each field, and stores nothing', async () => {
    const coach = await as('coach');
    const form = await coach.get('/employers/new');
    expect(form.status).toBe(200);
    const page = await coach.post('/employers/new', {
      ...newEmployer(keyOf(form)),
      name: '',
      sector: '',
      'contacts.0.email': '',
      'contacts.1.phone': '12345',
    });
    expect(page.status).toBe(400);
    expect(errorSummaryOf(page.html)).toEqual(['name', 'sector', 'contacts-1-phone']);
    expect(page.html).toContain('value="Maryam Al-Shanfari"'); // what they typed stays

    const noHrEmail = await coach.post('/employers/new', {
      ...newEmployer(keyOf(form)),
      'contacts.0.email': '',
    });
    expect(noHrEmail.status).toBe(400);
    expect(errorSummaryOf(noHrEmail.html)).toEqual(['contacts-0-email']);
    expect(noHrEmail.html).toContain('Enter an email address for the human-resources contact');
    expect(names(await coach.get('/employers'))).toEqual(['Nizwa Date Factory']);
  });

  it('adds an employer once even when the form is sent twice', async () => {
    const coach = await as('coach');
    const form = await coach.get('/employers/new');
    const fields = newEmployer(keyOf(form));
    const first = await coach.post('/employers/new', fields);
    const second = await coach.post('/employers/new', fields);
    expect(first.status).toBe(303);
    expect(second.location).toBe(first.location);
    createdPath = (first.location as string).replace(/\?.*$/, '');
    const shown = await coach.get(first.location as string);
    expect(shown.html).toContain('The employer is added.');
    expect(shown.html).toContain('Maryam Al-Shanfari');
    expect(shown.html).toContain('+96823210000');
    expect(shown.html).toContain('Ahmed Al-Mashani');
    expect(names(await coach.get('/employers'))).toEqual([
      'Nizwa Date Factory',
      'Salalah Grand Hotel',
    ]);
  });

  it('finds employers by sector, region and part of the name', async () => {
    const manager = await as('programme-manager');
    expect(names(await manager.get('/employers?sector=hospitality'))).toEqual([
      'Salalah Grand Hotel',
    ]);
    expect(names(await manager.get('/employers?region=ad-dakhiliyah&sector='))).toEqual([
      'Nizwa Date Factory',
    ]);
    expect(names(await manager.get('/employers?q=grand'))).toEqual(['Salalah Grand Hotel']);
    const bad = await manager.get('/employers?sector=space-travel');
    expect(bad.status).toBe(400);
    expect(errorSummaryOf(bad.html)).toEqual(['sector']);
  });

  it('edits an employer, and shows a stale form again as the employer is now', async () => {
    const admin = await as('admin');
    const form = await admin.get(`${createdPath}/edit`);
    expect(form.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.html)?.[1] as string;
    const hrId = /name="contacts\.0\.id" value="([^"]+)"/.exec(form.html)?.[1] as string;
    expect(hrId).toMatch(/^[0-9a-f-]{36}$/);
    const fields = {
      version,
      name: 'Salalah Grand Hotel & Spa',
      sector: 'hospitality',
      region: 'dhofar',
      'contacts.0.id': hrId,
      'contacts.0.role': 'hr',
      'contacts.0.fullName': 'Maryam Al-Shanfari',
      'contacts.0.email': 'maryam@grandhotel.employer.test',
      'contacts.0.phone': '',
      'contacts.0.preferredLanguage': 'en',
      // the supervisor's row emptied: they are removed
      'contacts.1.role': 'supervisor',
      'contacts.1.fullName': '',
      'contacts.1.email': '',
      'contacts.1.phone': '',
      'contacts.1.preferredLanguage': 'en',
      'contacts.2.role': 'supervisor',
      'contacts.2.fullName': 'Fatma Al-Kathiri',
      'contacts.2.email': '',
      'contacts.2.phone': '',
      'contacts.2.preferredLanguage': 'ar',
    };
    const saved = await admin.post(`${createdPath}/edit`, fields);
    expect(saved.status).toBe(303);
    const shown = await admin.get(saved.location as string);
    expect(shown.html).toContain('Salalah Grand Hotel &amp; Spa');
    expect(shown.html).toContain('maryam@grandhotel.employer.test');
    expect(shown.html).toContain('Fatma Al-Kathiri');
    expect(shown.html).not.toContain('Ahmed Al-Mashani');
    const employerId = createdPath.split('/').pop() as string;
    const stored = await api.get(
      `/employers/${employerId}`,
      testCaller('admin', { userId: users.admin.id }),
    );
    expect(stored.body.employer.contacts[0].id).toBe(hrId); // the same contact, changed

    const stale = await admin.post(`${createdPath}/edit`, { ...fields, name: 'Old name' });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('Someone saved this employer after you opened the form');
    expect(stale.html).toContain('value="Salalah Grand Hotel &amp; Spa"');
    expect(stale.html).toContain(`name="version" value="${Number(version) + 1}"`);
  });

  it("offers the admin the employers by name for an employer user's organisation", async () => {
    const admin = await as('admin');
    const invite = await admin.get('/admin/users/new');
    expect(invite.status).toBe(200);
    expect(invite.html).toMatch(
      new RegExp(`<option value="${ownEmployer.id}"[^>]*>Nizwa Date Factory[^<]*</option>`),
    );
  });

  it('shows an employer user their own organisation only, which they may edit', async () => {
    const employerUser = await as('employer-user');
    const list = await employerUser.get('/employers');
    expect(list.status).toBe(200);
    expect(names(list)).toEqual(['Nizwa Date Factory']);
    expect(list.html).not.toContain('href="/employers/new"');
    expect((await employerUser.get('/employers/new')).status).toBe(404);
    expect((await employerUser.get(createdPath)).status).toBe(404);
    expect((await employerUser.get(`${createdPath}/edit`)).status).toBe(404);

    const form = await employerUser.get(`/employers/${ownEmployer.id}/edit`);
    expect(form.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.html)?.[1] as string;
    const values = Object.fromEntries(
      [...form.html.matchAll(/name="(contacts\.\d+\.\w+)"[^>]*value="([^"]*)"/g)].map((m) => [
        m[1] as string,
        m[2] as string,
      ]),
    );
    const saved = await employerUser.post(`/employers/${ownEmployer.id}/edit`, {
      ...values,
      // the selects, as the form shows them chosen
      'contacts.0.role': 'hr',
      'contacts.0.preferredLanguage': 'en',
      'contacts.1.role': 'supervisor',
      'contacts.1.preferredLanguage': 'ar',
      version,
      name: 'Nizwa Date Factory LLC',
      sector: 'manufacturing',
      region: 'ad-dakhiliyah',
    });
    expect(saved.status).toBe(303);
    expect((await employerUser.get(saved.location as string)).html).toContain(
      'Nizwa Date Factory LLC',
    );
  });
});
