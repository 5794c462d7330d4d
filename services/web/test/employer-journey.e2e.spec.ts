import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Topics } from '@sanad/contracts';
import {
  apiClient,
  collectEvents,
  dropDatabases,
  serviceTestEnv,
  startTestSmtpServer,
  testCaller,
  testKafka,
  waitFor,
  type ApiClient,
  type EventCollector,
  type ReceivedMail,
  type TestSmtpServer,
} from '@sanad/testing';
import { loadConfig as loadPlacementConfig } from '../../placement/src/config';
import { startPlacementService } from '../../placement/src/main';
import { loadConfig } from '../src/config';
import { translatorFor } from '../src/i18n';
import { startWebApp } from '../src/main';
import {
  expectNoSeriousA11yViolations,
  focusedElement,
  launchBrowser,
  newContext,
  tabTo,
} from './browser/harness';
import {
  createEmployerWithContacts,
  freePort,
  nthMailTo,
  recordPlacementAt,
  todayIso,
} from './support/employer-links';
import { cleanUpWebTest, webTestEnv } from './support/web-env';

/**
 * The employer's journey in a real browser (Debian's Chromium), in Arabic and in English, with axe
 * on every page: a coach records a placement; the placement service mails the employer's HR
 * contact a signed link through a real SMTP server; the employer opens it, gets the hours wrong,
 * follows the error summary, corrects them and confirms; the placement is confirmed and
 * placement.confirmed is on the topic; later the employer opens the report link from the second
 * mail and reports the end of the job; the placement has ended, and the first link is used up.
 */
const placementEnv = serviceTestEnv('placement');
const coach = testCaller('coach', { programmeIds: [randomUUID()] });

let smtp: TestSmtpServer;
let placement: Awaited<ReturnType<typeof startPlacementService>>;
let web: Awaited<ReturnType<typeof startWebApp>>;
let env: ReturnType<typeof webTestEnv>;
let api: ApiClient;
let events: EventCollector;
let browser: Browser;
let baseURL: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  // the placement service writes the web app's address into its mails: choose it first
  const webPort = await freePort();
  baseURL = `http://localhost:${webPort}`;
  placement = await startPlacementService(
    loadPlacementConfig({
      ...placementEnv,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Sanad <no-reply@sanad.test>',
      WEB_BASE_URL: baseURL,
    }),
  );
  const placementUrl = `http://127.0.0.1:${placement.port}`;
  api = apiClient(placementUrl, 'placement');
  env = webTestEnv({ PORT: String(webPort), PLACEMENT_URL: placementUrl });
  web = await startWebApp(loadConfig(env));
  events = await collectEvents(testKafka(), placementEnv.KAFKA_TOPIC_PREFIX + Topics.placement);
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await events?.stop();
  await web?.stop();
  await placement?.stop();
  await smtp?.stop();
  await dropDatabases([placementEnv.MONGO_DB]);
  if (env) await cleanUpWebTest(env);
});

/** The web address of the signed link in a mail, as the employer would click it. */
function linkIn(mail: ReceivedMail): string {
  const found = /https?:\/\/[^\s"<>]+\/e\/[\w-]{20,100}/.exec(mail.text);
  if (!found) throw new Error(`no link in the mail "${mail.subject}"`);
  return found[0];
}

/** Presses Enter on the focused control and waits for the page the form leads to. */
async function pressEnterAndWait(page: Page) {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

/** Moves to a field with the keyboard, empties it and types. */
async function retype(page: Page, selector: string, text: string) {
  await tabTo(page, selector, 80);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

const placementNow = async (id: string) =>
  (await api.get(`/placements/${id}`, coach)).body.placement as {
    status: string;
    hoursPerWeek: number;
    accommodations: string[];
    ending: { endDate: string; reason: string; initiatedBy: string } | null;
  };

it.each(['ar', 'en'] as const)(
  'the employer confirms a placement from the mailed link and later reports its end, in %s',
  async (lang) => {
    const t = translatorFor(lang);
    const employer = await createEmployerWithContacts(api, coach, { language: lang });
    const registered = await api.post('/participants', coach, {
      fullName: lang === 'ar' ? 'يوسف الحارثي' : 'Yousef Al-Harthy',
      preferredLanguage: lang,
      programmeId: coach.programmeIds[0],
      coachId: coach.userId,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const participant = registered.body.participant as { id: string; fullName: string };
    const recorded = await recordPlacementAt(api, coach, employer.id, {
      participantId: participant.id,
      jobTitle: lang === 'ar' ? 'مساعد مكتبة' : 'Library assistant',
      hoursPerWeek: 20,
    });
    expect(recorded.employerLink.sent).toBe(true);

    // the confirmation mail, in the contact's language, holds the link to the web app under test
    const confirmLink = linkIn(await nthMailTo(smtp, employer.hrEmail, 0));
    expect(confirmLink.startsWith(`${baseURL}/e/`)).toBe(true);

    const context = await newContext(browser, { baseURL, lang });
    contexts.push(context);
    const page = await context.newPage();
    const opened = await page.goto(confirmLink);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    expect(await page.locator('h1').textContent()).toBe(t('employerLink.confirm.title'));
    expect(await page.locator('main').textContent()).toContain(participant.fullName);
    expect(await page.locator('main').textContent()).toContain(employer.name);
    expect(await page.inputValue('#hoursPerWeek')).toBe('20');
    await expectNoSeriousA11yViolations(page, `confirm the job (${lang})`);

    // a wrong number of hours: the error summary names the field and leads to it
    await retype(page, '#hoursPerWeek', '200');
    await tabTo(page, 'main button[type="submit"]', 80);
    await pressEnterAndWait(page);
    expect(await page.title()).toMatch(new RegExp(`^${t('forms.errorPrefix')}`));
    const summary = page.locator('.error-summary a');
    expect(await summary.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      '#hoursPerWeek',
    ]);
    expect(await summary.first().textContent()).toBe(t('placementForms.errors.hoursPerWeek'));
    await expectNoSeriousA11yViolations(page, `confirm the job, with an error (${lang})`);
    expect(await placementNow(recorded.id)).toMatchObject({ status: 'recorded' });

    await tabTo(page, '.error-summary a[href="#hoursPerWeek"]');
    await page.keyboard.press('Enter');
    expect((await focusedElement(page))?.id).toBe('hoursPerWeek');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(lang === 'ar' ? '٢٥' : '25'); // Arabic-Indic digits are understood
    await tabTo(page, '#accommodations-4'); // screen reader
    await page.keyboard.press('Space');
    await tabTo(page, 'main button[type="submit"]', 80);
    await pressEnterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(t('employerLink.done.confirmed.title'));
    expect(await page.locator('main').textContent()).toContain(
      t('employerLink.done.confirmed.body'),
    );
    await expectNoSeriousA11yViolations(page, `job confirmed (${lang})`);

    const confirmed = await placementNow(recorded.id);
    expect(confirmed).toMatchObject({ status: 'confirmed', hoursPerWeek: 25 });
    expect(confirmed.accommodations).toEqual(['screen-reader']);
    await waitFor(
      () =>
        events.events.some((e) => e.key === recorded.id && e.event.type === 'placement.confirmed'),
      { what: 'placement.confirmed on the topic' },
    );

    // the confirm link has done its work
    const usedUp = await page.goto(confirmLink);
    expect(usedUp?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe(t('linkRefused.usedUp.heading'));
    await expectNoSeriousA11yViolations(page, `link used up (${lang})`);

    // later: the second mail's link, to report the end of the job
    const reportLink = linkIn(await nthMailTo(smtp, employer.hrEmail, 1));
    await page.goto(reportLink);
    expect(await page.locator('h1').textContent()).toBe(t('employerLink.report.title'));
    await expectNoSeriousA11yViolations(page, `report a change (${lang})`);
    await tabTo(page, `a[href$="/end"]`, 80);
    await pressEnterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(t('employerLink.end.title'));
    await expectNoSeriousA11yViolations(page, `report the end (${lang})`);

    await page.fill('#endDate', todayIso()); // a date control: typed the way the browser shows it
    await tabTo(page, '#reason', 80); // the first reason: resigned
    await page.keyboard.press('Space');
    await tabTo(page, '#initiatedBy', 80); // the first: the employee
    await page.keyboard.press('Space');
    await tabTo(page, 'main button[type="submit"]', 80);
    await pressEnterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(t('employerLink.done.ended.title'));
    await expectNoSeriousA11yViolations(page, `end recorded (${lang})`);
    expect(await placementNow(recorded.id)).toMatchObject({
      status: 'ended',
      ending: { endDate: todayIso(), reason: 'resigned', initiatedBy: 'participant' },
    });
  },
);
