import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { testCaller } from '@sanad/testing';
import { loadConfig } from '../src/config';
import { translatorFor } from '../src/i18n';
import { startWebApp } from '../src/main';
import {
  expectNoSeriousA11yViolations,
  focusedElement,
  hasHorizontalScroll,
  launchBrowser,
  newContext,
  tabTo,
  targetBoxes,
} from './browser/harness';
import {
  checkinLinkMailedTo,
  placementWithCheckinsDue,
  startFollowUpServices,
  type FollowUpServices,
} from './support/checkin-services';
import { freePort } from './support/employer-links';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import {
  cleanUpWebTest,
  seedUsers,
  webTestEnv,
  type SeededUser,
  type TestRole,
} from './support/web-env';

/**
 * The participant's and the supervisor's check-in in a real browser (Debian's Chromium), in
 * Arabic and in English, with axe on every page: a placement that started 8 days ago is confirmed;
 * the check-in service plans its follow-ups, the day-7 check-ins fall due at once, and the
 * placement service mails the participant and the supervisor their links through a real SMTP
 * server. Each opens the link, answers with the keyboard only (one wrong answer first: the error
 * summary leads to it), sends, and gets the thank-you page; the answers are on the placement's
 * follow-ups. At 320px wide nothing scrolls sideways and every target is at least 44px.
 */
const coach = testCaller('coach', { programmeIds: [randomUUID()] });
const admin = testCaller('admin');

let services: FollowUpServices;
let web: Awaited<ReturnType<typeof startWebApp>>;
let env: ReturnType<typeof webTestEnv>;
let browser: Browser;
let baseURL: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // the check-in service writes the web app's address into its links: choose it first
  const webPort = await freePort();
  baseURL = `http://localhost:${webPort}`;
  services = await startFollowUpServices({ webBaseUrl: baseURL });
  env = webTestEnv({
    PORT: String(webPort),
    PLACEMENT_URL: services.placementUrl,
    CHECKIN_URL: services.checkinUrl,
  });
  web = await startWebApp(loadConfig(env));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await web?.stop();
  await services?.stop();
  if (env) await cleanUpWebTest(env);
});

const TARGETS = [
  'button',
  'input:not([type="hidden"])',
  '.choice__label',
  '.header__name',
  '.error-summary__list a',
].join(', ');

/** One answer given with the keyboard: the nth choice of a group, or typed text. */
type Step = { id: string; choice: number } | { id: string; text: string };

/** Tabs to each question in turn and answers it: Space picks a radio, arrows move along. */
async function answerWithKeyboard(page: Page, steps: Step[]) {
  for (const step of steps) {
    await tabTo(page, `#${step.id}`, 40);
    if ('text' in step) {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(step.text);
    } else {
      await page.keyboard.press('Space');
      for (let i = 0; i < step.choice; i += 1) await page.keyboard.press('ArrowDown');
    }
  }
}

async function pressEnterAndWait(page: Page) {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

/** Opens the mailed link, answers, sends, and checks every page on the way. */
async function answerLink(
  link: string,
  lang: 'ar' | 'en',
  who: 'participant' | 'supervisor',
  steps: Step[],
  wrong: { id: string; text: string; fixed: string },
) {
  const t = translatorFor(lang);
  // no language cookie: the link's ?lang= (the person's language) chooses the page's
  const context = await newContext(browser, { baseURL, locale: lang === 'ar' ? 'en-GB' : 'ar-OM' });
  contexts.push(context);
  const page = await context.newPage();
  const opened = await page.goto(link);
  expect(opened?.status()).toBe(200);
  expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
  expect(opened?.headers()['cache-control']).toBe('no-store');
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  expect(await page.locator('h1').textContent()).toBe(t(`checkinLink.${who}.title`));
  await expectNoSeriousA11yViolations(page, `${who} check-in (${lang})`);

  // on a phone 320px wide: nothing scrolls sideways, every target is at least 44px
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await hasHorizontalScroll(page)).toBe(false);
  const boxes = await targetBoxes(page, TARGETS);
  expect(boxes.length).toBeGreaterThan(steps.length);
  expect(boxes.filter((b) => b.height < 44 || b.width < 44)).toEqual([]);
  await page.setViewportSize({ width: 1024, height: 768 });

  // everything answered, one number out of range: the error summary leads to it
  await answerWithKeyboard(
    page,
    steps.map((s) => (s.id === wrong.id ? { id: s.id, text: wrong.text } : s)),
  );
  await tabTo(page, 'main button[type="submit"]', 40);
  await pressEnterAndWait(page);
  expect(await page.title()).toMatch(new RegExp(`^${t('forms.errorPrefix')}`));
  const summary = page.locator('.error-summary a');
  expect(await summary.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
    `#${wrong.id}`,
  ]);
  await expectNoSeriousA11yViolations(page, `${who} check-in with an error (${lang})`);
  // the choices made are kept
  const firstChoice = steps.find((s) => 'choice' in s && s.choice === 0);
  expect(await page.locator(`#${firstChoice?.id}`).isChecked()).toBe(true);
  await tabTo(page, `.error-summary a[href="#${wrong.id}"]`);
  await page.keyboard.press('Enter');
  expect((await focusedElement(page))?.id).toBe(wrong.id);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(wrong.fixed);
  await tabTo(page, 'main button[type="submit"]', 80);
  await pressEnterAndWait(page);

  expect(await page.locator('h1').textContent()).toBe(t('checkinLink.done.title'));
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  await expectNoSeriousA11yViolations(page, `${who} thanked (${lang})`);

  // the link has done its work
  const again = await page.goto(link);
  expect([200, 410]).toContain(again?.status());
  await expectNoSeriousA11yViolations(page, `${who} link used (${lang})`);
}

const participantSteps = (lang: 'ar' | 'en'): Step[] => [
  { id: 'stability-stillEmployed', choice: 0 },
  { id: 'stability-hoursLastWeek', text: lang === 'ar' ? '١٨٫٥' : '18.5' }, // Arabic digits too
  { id: 'stability-absenceDays', text: '0' },
  { id: 'stability-lateDays', text: '1' },
  { id: 'stability-wageChange', choice: 0 },
  { id: 'professional-copesWithTasks', choice: 3 },
  { id: 'professional-supervisorRelation', choice: 4 },
  { id: 'professional-accommodationsInPlace', choice: 0 },
  { id: 'social-coworkerRelations', choice: 3 },
  { id: 'social-feelsIncluded', choice: 2 },
  { id: 'social-transportProblem', choice: 1 },
  { id: 'social-wellbeing', choice: 3 },
  { id: 'satisfaction', choice: 4 },
];

const supervisorSteps: Step[] = [
  { id: 'attendance', choice: 4 },
  { id: 'punctuality', choice: 3 },
  { id: 'taskPerformance', choice: 3 },
  { id: 'relations', choice: 4 },
  { id: 'accommodationsWorking', choice: 0 },
  { id: 'concern', choice: 1 },
  { id: 'hoursLastWeek', text: '20' },
];

describe.each(['ar', 'en'] as const)('check-in links in %s', (lang) => {
  let due: Awaited<ReturnType<typeof placementWithCheckinsDue>>;
  beforeAll(async () => {
    due = await placementWithCheckinsDue(services, coach, admin, { language: lang });
  }, 60_000);

  it('the participant answers from the mailed link with the keyboard', async () => {
    const link = await checkinLinkMailedTo(services, due.participantEmail);
    expect(link.startsWith(`${baseURL}/c/`)).toBe(true);
    expect(link.endsWith(`?lang=${lang}`)).toBe(true);
    await answerLink(link, lang, 'participant', participantSteps(lang), {
      id: 'stability-hoursLastWeek',
      text: '200',
      fixed: '18.5',
    });
    const follow = await services.checkinApi.get(
      `/placements/${due.placementId}/follow-ups`,
      coach,
    );
    const records = follow.body.records as {
      respondent: string;
      answers: Record<string, unknown>;
    }[];
    const mine = records.find((r) => r.respondent === 'participant');
    expect(mine?.answers).toMatchObject({
      stability: { stillEmployed: true, hoursLastWeek: 18.5, absenceDays: 0, lateDays: 1 },
      professional: { copesWithTasks: 4, supervisorRelation: 5, accommodationsInPlace: 'yes' },
      social: { coworkerRelations: 4, feelsIncluded: 3, transportProblem: false, wellbeing: 4 },
      satisfaction: 5,
    });
  }, 90_000);

  it('the supervisor answers from the mailed link with the keyboard', async () => {
    const link = await checkinLinkMailedTo(services, due.supervisorEmail);
    await answerLink(link, lang, 'supervisor', supervisorSteps, {
      id: 'hoursLastWeek',
      text: '99',
      fixed: '20',
    });
    const follow = await services.checkinApi.get(
      `/placements/${due.placementId}/follow-ups`,
      coach,
    );
    const records = follow.body.records as {
      respondent: string;
      answers: Record<string, unknown>;
    }[];
    expect(records.find((r) => r.respondent === 'supervisor')?.answers).toMatchObject({
      attendance: 5,
      punctuality: 4,
      concern: false,
      accommodationsWorking: 'yes',
      hoursLastWeek: 20,
    });
  }, 90_000);
});

describe.each(['ar', 'en'] as const)('the staff’s follow-up pages in %s', (lang) => {
  const PASSWORD = 'follow-up pages password';
  const t = translatorFor(lang);
  let users: Record<TestRole, SeededUser>;
  let due: Awaited<ReturnType<typeof placementWithCheckinsDue>>;

  beforeAll(async () => {
    users = await seedUsers(env, PASSWORD, `follow-up-${lang}`);
    const programmeId = users.coach.programmeIds[0] as string;
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createProgrammeRepository(db).save({
      id: programmeId,
      name: lang === 'ar' ? 'برنامج التوظيف المدعوم' : 'Supported employment',
      createdAt: new Date(),
    });
    await db.close();
    const seededCoach = testCaller('coach', {
      userId: users.coach.id,
      programmeIds: [programmeId],
    });
    due = await placementWithCheckinsDue(services, seededCoach, admin, { language: lang });
    // the participant has answered: the section shows a record with scores and flags
    const link = await checkinLinkMailedTo(services, due.participantEmail);
    const context = await newContext(browser, { baseURL, lang });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(link);
    await answerWithKeyboard(page, participantSteps(lang));
    await tabTo(page, 'main button[type="submit"]', 40);
    await pressEnterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(t('checkinLink.done.title'));
  }, 90_000);

  const signedIn = async (role: TestRole, viewport = { width: 1024, height: 768 }) => {
    const context = await newContext(browser, { baseURL, lang, viewport });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.fill('#email', users[role].email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${baseURL}/`), page.press('#password', 'Enter')]);
    return page;
  };

  const check = async (page: Page, path: string, heading: string, status = 200) => {
    const res = await page.goto(path);
    expect(res?.status()).toBe(status);
    expect(await page.locator('main').textContent()).toContain(heading);
    await expectNoSeriousA11yViolations(page, `${path} (${lang})`);
  };

  it('the coach’s pages have no serious accessibility problems, and fit 320px', async () => {
    for (const width of [1024, 320]) {
      const page = await signedIn('coach', { width, height: 800 });
      await check(page, `/placements/${due.placementId}`, t('checkins.followUp.heading'));
      expect(await page.locator('main').textContent()).toContain(t('checkins.scores.stability'));
      expect(await hasHorizontalScroll(page)).toBe(false);
      await check(page, '/checkins', t('checkins.due.title'));
      expect(await hasHorizontalScroll(page)).toBe(false);
      await check(page, `/placements/${due.placementId}/checkins/new`, t('checkins.new.intro'));
      expect(await hasHorizontalScroll(page)).toBe(false);
      // sent with nothing chosen: the errors, named
      await tabTo(page, 'main button[type="submit"]', 120);
      await pressEnterAndWait(page);
      // (the form opens with "we talked" chosen: only how is missing)
      expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#contactType');
      await expectNoSeriousA11yViolations(page, `record a check-in with errors (${lang})`);
      expect(await hasHorizontalScroll(page)).toBe(false);
    }
  }, 90_000);

  it('the admin’s follow-up policy page has no serious accessibility problems', async () => {
    const page = await signedIn('admin');
    const path = `/admin/programmes/${users.coach.programmeIds[0]}/follow-up-policy`;
    await check(page, path, t('followUpPolicy.milestonesHeading'));
    await page.fill('#graceDays', '0');
    await tabTo(page, 'main button[type="submit"]', 120);
    await pressEnterAndWait(page);
    expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#graceDays');
    await expectNoSeriousA11yViolations(page, `follow-up policy with an error (${lang})`);
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await hasHorizontalScroll(page)).toBe(false);
  }, 60_000);
});
