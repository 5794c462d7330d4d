import mongoose from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { translatorFor } from '../src/i18n';
import { startWebApp } from '../src/main';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import {
  expectNoSeriousA11yViolations,
  hasHorizontalScroll,
  launchBrowser,
  newContext,
  recordCspViolations,
} from './browser/harness';
import {
  cleanUpWebTest,
  seedUsers,
  webTestEnv,
  type SeededUser,
  type TestRole,
} from './support/web-env';

/**
 * The staff pages for placements, employers and a participant's details in a real browser
 * (Debian's Chromium), in Arabic and English: axe finds nothing serious on any of them, with and
 * without errors; the forms fit a 320-pixel screen; the real Content-Security-Policy blocks nothing.
 */
const PASSWORD = 'staff pages e2e password';
let browser: Browser;
let web: Awaited<ReturnType<typeof startWebApp>>;
let placement: Awaited<ReturnType<typeof startPlacementService>>;
let baseURL: string;
let users: Record<TestRole, SeededUser>;
let employer: TestEmployer;
let participantId: string;
let participantCode: string;
let placementId: string;
const placementEnv = serviceTestEnv('placement');
const env = webTestEnv();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  placement = await startPlacementService(loadPlacementConfig(placementEnv));
  const placementUrl = `http://127.0.0.1:${placement.port}`;
  web = await startWebApp(loadConfig({ ...env, PLACEMENT_URL: placementUrl }));
  // localhost: the browser accepts the Secure session cookie from it over plain HTTP
  baseURL = `http://localhost:${web.port}`;
  browser = await launchBrowser();

  users = await seedUsers(env, PASSWORD, 'staff-pages');
  const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
  await createProgrammeRepository(db).save({
    id: users.coach.programmeIds[0] as string,
    name: 'Supported Employment – Muscat',
    createdAt: new Date(),
  });
  await db.close();

  const api = apiClient(placementUrl, 'placement');
  const coach = testCaller('coach', {
    userId: users.coach.id,
    programmeIds: users.coach.programmeIds,
  });
  employer = await createTestEmployer(api, coach);
  const participant = await api.post('/participants', coach, {
    fullName: 'Aisha Al-Balushi',
    preferredLanguage: 'ar',
    programmeId: users.coach.programmeIds[0],
    coachId: users.coach.id,
    consents: { followUp: true, employerContact: true, reportingByCategory: true },
  });
  participantId = participant.body.participant.id;
  participantCode = participant.body.participant.code;
  const recorded = await api.post('/placements', coach, {
    participantId,
    employerId: employer.id,
    programmeId: users.coach.programmeIds[0],
    coachId: users.coach.id,
    jobTitle: 'Archive assistant',
    startDate: new Date().toISOString().slice(0, 10),
    hoursPerWeek: 25,
    wage: { amount: 300, currency: 'OMR', period: 'month' },
    supervisorId: employer.contacts.find((c) => c.role === 'supervisor')?.id,
    accommodations: ['screen-reader'],
  });
  expect(recorded.status).toBe(201);
  placementId = recorded.body.placement.id;
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await web?.stop();
  await placement?.stop();
  await dropDatabases([placementEnv.MONGO_DB]);
  await cleanUpWebTest(env);
});

async function signedInPage(
  lang: 'ar' | 'en',
  options: { bypassCSP?: boolean; viewport?: { width: number; height: number } } = {},
  beforeFirstPage: (context: BrowserContext) => Promise<unknown> = async () => undefined,
): Promise<{ page: Page }> {
  const context = await newContext(browser, { baseURL, lang, ...options });
  contexts.push(context);
  await beforeFirstPage(context);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.fill('#email', users.coach.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${baseURL}/`), page.press('#password', 'Enter')]);
  return { page };
}

/** Presses the form's main button and waits for the page it leads to. */
async function submit(page: Page) {
  await Promise.all([
    page.waitForEvent('load'),
    page.locator('main form[method="post"] button.button--primary').last().click(),
  ]);
}

describe.each(['ar', 'en'] as const)('staff pages in %s', (lang) => {
  const t = translatorFor(lang);

  it('have no serious accessibility problems, with and without errors', async () => {
    const { page } = await signedInPage(lang);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    const check = async (path: string, heading: string) => {
      const res = await page.goto(path);
      expect(res?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toContain(heading);
      await expectNoSeriousA11yViolations(page, `${path} (${lang})`);
    };
    await check('/placements', t('placements.list.title'));
    await check(
      `/placements?status=recorded&employerId=${employer.id}`,
      t('placements.list.title'),
    );
    await check(
      `/placements/${placementId}?notice=linkNotSent&reason=no-contact`,
      'Archive assistant',
    );
    await check(
      `/participants/${participantId}/placements/new`,
      t('placements.new.title', { code: participantCode }),
    );
    await check(
      `/participants/${participantId}/placements/new?employerId=${employer.id}`,
      t('placements.new.title', { code: participantCode }),
    );
    await submit(page); // nothing filled in
    expect(await page.locator('.error-summary a').count()).toBeGreaterThan(2);
    await expectNoSeriousA11yViolations(page, `record form with errors (${lang})`);

    await check('/employers', t('employers.list.title'));
    await check(`/employers/${employer.id}`, 'Muscat Public Archives');
    await check(
      `/employers/${employer.id}/edit`,
      t('employers.edit.title', { name: 'Muscat Public Archives' }),
    );
    await check('/employers/new', t('employers.new.title'));
    await submit(page);
    expect(await page.locator('.error-summary a').count()).toBeGreaterThan(2);
    await expectNoSeriousA11yViolations(page, `employer form with errors (${lang})`);

    await check(
      `/participants/${participantId}/edit`,
      t('participantEdit.title', { code: participantCode }),
    );
    await page.fill('#phone', '12');
    await submit(page);
    expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#phone');
    await expectNoSeriousA11yViolations(page, `participant edit with errors (${lang})`);
  });

  it('fit a 320-pixel screen without sideways scrolling', async () => {
    const { page } = await signedInPage(lang, { viewport: { width: 320, height: 640 } });
    for (const path of [
      '/placements',
      `/placements/${placementId}`,
      `/participants/${participantId}/placements/new?employerId=${employer.id}`,
      '/employers/new',
      `/participants/${participantId}/edit`,
    ]) {
      await page.goto(path);
      expect({ path, scrolls: await hasHorizontalScroll(page) }).toEqual({ path, scrolls: false });
    }
  });
});

it('the real Content-Security-Policy blocks nothing on these pages', async () => {
  let violations: () => Promise<string[]> = async () => [];
  const { page } = await signedInPage('ar', { bypassCSP: false }, async (context) => {
    violations = await recordCspViolations(context);
  });
  for (const path of [
    '/placements',
    `/placements/${placementId}`,
    `/participants/${participantId}/placements/new?employerId=${employer.id}`,
    '/employers',
    `/employers/${employer.id}/edit`,
    `/participants/${participantId}/edit`,
  ]) {
    await page.goto(path);
  }
  expect(await violations()).toEqual([]);
});
