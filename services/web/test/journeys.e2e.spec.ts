import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { loadConfig } from '../src/config';
import { translatorFor } from '../src/i18n';
import { startWebApp } from '../src/main';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import mongoose from 'mongoose';
import {
  expectNoSeriousA11yViolations,
  focusedElement,
  launchBrowser,
  newContext,
  recordCspViolations,
  tabTo,
} from './browser/harness';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  cleanUpWebTest,
  seedUsers,
  webTestEnv,
} from './support/web-env';

/**
 * The first journeys in a real browser (Debian's Chromium), keyboard only, with axe on every page
 * in both languages: an admin signs in and invites a coach, the coach accepts in Arabic and sees
 * only their own caseload, then switches to English; a bad sign-in shows the error summary.
 * The web app talks to a real placement service; both use the real database and Redis.
 */
const en = translatorFor('en');
const ar = translatorFor('ar');
const PASSWORD = 'a long and private passphrase';

let browser: Browser;
let web: Awaited<ReturnType<typeof startWebApp>>;
let placement: Awaited<ReturnType<typeof startPlacementService>>;
let baseURL: string;
let placementUrl: string;
const placementEnv = serviceTestEnv('placement');
const env = webTestEnv();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  placement = await startPlacementService(loadPlacementConfig(placementEnv));
  placementUrl = `http://127.0.0.1:${placement.port}`;
  web = await startWebApp(loadConfig({ ...env, PLACEMENT_URL: placementUrl }));
  // localhost: the browser accepts the Secure session cookie from it over plain HTTP
  baseURL = `http://localhost:${web.port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await web?.stop();
  await placement?.stop();
  await dropDatabases([placementEnv.MONGO_DB]);
  await cleanUpWebTest(env);
});

async function openPage(options: { lang?: 'ar' | 'en'; bypassCSP?: boolean } = {}) {
  const context = await newContext(browser, { baseURL, ...options });
  contexts.push(context);
  return { context, page: await context.newPage() };
}

/** Presses Enter on the focused control and waits for the page the form leads to. */
async function pressEnterAndWait(page: Page) {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

async function type(page: Page, selector: string, text: string) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Records a placement as the given coach, through the placement service's API. */
async function recordPlacement(coachId: string, jobTitle: string) {
  const coach = testCaller('coach', { userId: coachId });
  const employer = await createTestEmployer(apiClient(placementUrl, 'placement'), coach);
  const res = await fetch(`${placementUrl}/placements`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: await bearerFor(coach, 'placement'),
    },
    body: JSON.stringify({
      participantId: crypto.randomUUID(),
      employerId: employer.id,
      programmeId: crypto.randomUUID(),
      coachId,
      jobTitle,
      startDate: new Date().toISOString().slice(0, 10),
      hoursPerWeek: 20,
      wage: { amount: 300, currency: 'OMR', period: 'month' },
    }),
  });
  expect(res.status).toBe(201);
}

let invitationLink: string;
let coachId: string;

it('an admin signs in and invites a coach, keyboard only, in English; the error summary leads to each wrong field', async () => {
  const { page } = await openPage({ lang: 'en' });
  await page.goto('/sign-in');
  expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
  await type(page, '#email', ADMIN_EMAIL);
  await type(page, '#password', ADMIN_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseURL}/`);
  expect(await page.locator('h1').textContent()).toBe(en('home.title'));

  await page.goto('/admin/users/new');
  await tabTo(page, 'main button[type="submit"]', 60);
  await pressEnterAndWait(page);
  expect(await page.title()).toMatch(new RegExp(`^${en('forms.errorPrefix')}`));
  const links = page.locator('.error-summary a');
  // in the order the form shows the fields
  expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
    '#displayName',
    '#email',
    '#role',
  ]);
  await tabTo(page, '.error-summary a[href="#displayName"]');
  await page.keyboard.press('Enter');
  expect((await focusedElement(page))?.id).toBe('displayName');

  await page.keyboard.type('Salma Nasser');
  await type(page, '#email', 'salma.coach@sanad.test');
  await tabTo(page, 'input[name="role"]');
  // arrow keys move through a radio group: admin, programme manager, coach
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('input[name="role"]:checked').getAttribute('value')).toBe('coach');
  await tabTo(page, 'main button[type="submit"]');
  await pressEnterAndWait(page);
  invitationLink = (await page.locator('#invitation-link').inputValue()) as string;
  expect(invitationLink).toMatch(/\/invitations\/[\w-]{40,}$/);

  await page.goto('/admin/users');
  const href = await page.locator('a', { hasText: 'Salma Nasser' }).getAttribute('href');
  coachId = (href as string).split('/').pop() as string;
  await expectNoSeriousA11yViolations(page, 'admin users (en)');
});

it('the coach accepts in Arabic, sees only their own caseload right to left, then switches to English', async () => {
  await recordPlacement(coachId, 'Library assistant');
  await recordPlacement(crypto.randomUUID(), 'Someone else’s placement');

  const { page } = await openPage(); // a new browser: no language chosen yet
  await page.goto(new URL(invitationLink).pathname);
  await expectNoSeriousA11yViolations(page, 'invitation');
  await type(page, '#password', PASSWORD);
  await type(page, '#confirmPassword', PASSWORD);
  await tabTo(page, 'input[name="locale"]:checked');
  expect(await page.locator('input[name="locale"]:checked').getAttribute('value')).toBe('ar');
  await tabTo(page, 'main button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseURL}/`);

  expect(await page.locator('html').getAttribute('lang')).toBe('ar');
  expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
  expect(await page.locator('h1').textContent()).toBe(ar('home.title'));
  const rows = page.locator('table tbody tr');
  expect(await rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain('Library assistant');
  await expectNoSeriousA11yViolations(page, 'home (ar)');

  await tabTo(page, 'form[action="/language"] button[lang="en"]');
  await pressEnterAndWait(page);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await page.locator('h1').textContent()).toBe(en('home.title'));
  await expectNoSeriousA11yViolations(page, 'home (en)');

  // an admin page does not exist for a coach
  const admin = await page.goto('/admin/users');
  expect(admin?.status()).toBe(404);
});

it('the real Content-Security-Policy blocks nothing of ours (no inline script or style)', async () => {
  const { context, page } = await openPage({ lang: 'ar', bypassCSP: false });
  const cspViolations = await recordCspViolations(context);
  for (const path of ['/sign-in', '/design-system', '/design-system?action=check', '/nowhere']) {
    await page.goto(path);
  }
  expect(await cspViolations()).toEqual([]);
  expect(await page.locator('h1').textContent()).toBe(ar('errors.notFound.heading'));
});

it.each(['ar', 'en'] as const)(
  'a bad sign-in in %s names each wrong field, then a wrong password',
  async (lang) => {
    const t = translatorFor(lang);
    const { page } = await openPage({ lang });
    await page.goto('/sign-in');
    await expectNoSeriousA11yViolations(page, `sign-in (${lang})`);
    await tabTo(page, 'main button[type="submit"]');
    await pressEnterAndWait(page);
    const summary = page.locator('.error-summary');
    expect(
      await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ).toEqual(['#email', '#password']);
    expect(await summary.textContent()).toContain(t('errors.emailRequired'));
    await expectNoSeriousA11yViolations(page, `sign-in with errors (${lang})`);
    await tabTo(page, '.error-summary a[href="#password"]');
    await page.keyboard.press('Enter');
    expect((await focusedElement(page))?.id).toBe('password');

    await type(page, '#email', ADMIN_EMAIL);
    await type(page, '#password', 'not the password');
    await pressEnterAndWait(page);
    expect(await summary.textContent()).toContain(t('signIn.invalid'));
    expect(page.url()).toBe(`${baseURL}/sign-in`);
  },
);

it.each(['ar', 'en'] as const)(
  'a coach registers a participant and records their consent, keyboard only, in %s',
  async (lang) => {
    const t = translatorFor(lang);
    const password = 'seeded coach password';
    const seeded = await seedUsers(env, password, `journey-${lang}`);
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createProgrammeRepository(db).save({
      id: seeded.coach.programmeIds[0] as string,
      name: `Programme ${lang}`,
      createdAt: new Date(),
    });
    await db.close();

    const { page } = await openPage({ lang });
    await page.goto('/sign-in');
    await type(page, '#email', seeded.coach.email);
    await type(page, '#password', password);
    await pressEnterAndWait(page);

    await page.goto('/participants/new');
    await expectNoSeriousA11yViolations(page, `register a participant (${lang})`);
    await tabTo(page, 'main button[type="submit"]', 80);
    await pressEnterAndWait(page);
    expect(await page.locator('.error-summary a').first().getAttribute('href')).toBe('#fullName');
    await expectNoSeriousA11yViolations(page, `register a participant, with errors (${lang})`);

    await type(page, '#fullName', 'Yousef Al-Harthy');
    await tabTo(page, '#programmeId');
    await page.keyboard.press('ArrowDown'); // the coach's one programme
    await tabTo(page, '#consents');
    await page.keyboard.press('Space'); // follow-up
    await tabTo(page, 'main button[type="submit"]', 80);
    await pressEnterAndWait(page);
    expect(await page.locator('h1').textContent()).toMatch(/^.+ P-/);
    expect(await page.locator('.notification').textContent()).toContain(
      t('participants.show.notice.registered'),
    );
    expect(await page.locator('#consents').isChecked()).toBe(true);
    await expectNoSeriousA11yViolations(page, `participant page (${lang})`);
  },
);
