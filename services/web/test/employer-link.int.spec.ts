import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Topics } from '@sanad/contracts';
import {
  apiClient,
  collectEvents,
  dropDatabases,
  serviceTestEnv,
  startTestSmtpServer,
  testCaller,
  testKafka,
  type ApiClient,
  type EventCollector,
  type TestSmtpServer,
} from '@sanad/testing';
import { loadConfig as loadPlacementConfig } from '../../placement/src/config';
import { startPlacementService } from '../../placement/src/main';
import { loadConfig } from '../src/config';
import type { PlacementView } from '../src/http/placement-forms';
import { translatorFor } from '../src/i18n';
import { startWebApp } from '../src/main';
import { createPasswordHasher } from '../src/identity/passwords';
import { createUserRepository } from '../src/persistence/users.repository';
import {
  createEmployerWithContacts,
  linkPathIn,
  nthMailTo,
  recordPlacementAt,
  todayIso,
  type TestEmployerContacts,
} from './support/employer-links';
import { errorSummaryOf, FormClient, type Page } from './support/form-client';
import { cleanUpWebTest, webTestEnv } from './support/web-env';

const en = translatorFor('en');
const ar = translatorFor('ar');

/** The form's fields as the page shows them (hidden ones included), to post them back. */
function formFields(html: string): Record<string, string | string[]> {
  const form = /<main[\s\S]*?<form method="post"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const before = fields[name];
    if (before === undefined) fields[name] = value;
    else fields[name] = Array.isArray(before) ? [...before, value] : [before, value];
  };
  for (const input of form.matchAll(/<input [^>]*>/g)) {
    const tag = input[0];
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (!name) continue;
    if (/type="(checkbox|radio)"/.test(tag) && !/ checked/.test(tag)) continue;
    add(name, value.replace(/&amp;/g, '&'));
  }
  for (const select of form.matchAll(/<select [^>]*name="([^"]+)"[\s\S]*?<\/select>/g)) {
    const chosen = /<option value="([^"]*)"[^>]* selected/.exec(select[0])?.[1] ?? '';
    add(select[1] as string, chosen);
  }
  delete fields._csrf; // the client adds the page's own
  return fields;
}

/**
 * The employer's signed-link pages with the real placement service (which makes the links and
 * mails them through a real SMTP server), the real database, Kafka and Redis: the link opens the
 * terms, a wrong field is named and changes nothing, a refused link says why, a double submit
 * confirms once, a stale form comes back as the placement is now. Then the same forms for a
 * signed-in employer user and a coach.
 */
describe('employer link pages on the real servers', () => {
  const placementEnv = serviceTestEnv('placement');
  const env = webTestEnv();
  const coach = testCaller('coach', { programmeIds: [randomUUID()] });
  let smtp: TestSmtpServer;
  let placement: Awaited<ReturnType<typeof startPlacementService>>;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let api: ApiClient;
  let url: string;
  let events: EventCollector;
  let employer: TestEmployerContacts;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    placement = await startPlacementService(
      loadPlacementConfig({
        ...placementEnv,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Sanad <no-reply@sanad.test>',
        WEB_BASE_URL: 'http://127.0.0.1:4100',
      }),
    );
    const placementUrl = `http://127.0.0.1:${placement.port}`;
    api = apiClient(placementUrl, 'placement');
    web = await startWebApp(loadConfig({ ...env, PLACEMENT_URL: placementUrl }));
    url = `http://127.0.0.1:${web.port}`;
    events = await collectEvents(testKafka(), placementEnv.KAFKA_TOPIC_PREFIX + Topics.placement);
  });
  afterAll(async () => {
    await events?.stop();
    await web?.stop();
    await placement?.stop();
    await smtp?.stop();
    await dropDatabases([placementEnv.MONGO_DB]);
    await cleanUpWebTest(env);
  });

  /** A new placement at a new employer, and the link its HR contact got by mail. */
  const newPlacementWithLink = async (fields: Record<string, unknown> = {}) => {
    employer = await createEmployerWithContacts(api, coach);
    const recorded = await recordPlacementAt(api, coach, employer.id, fields);
    expect(recorded.employerLink.sent).toBe(true);
    const mail = await nthMailTo(smtp, employer.hrEmail, 0);
    return { id: recorded.id, link: linkPathIn(mail) };
  };
  const placementNow = async (id: string) =>
    (await api.get(`/placements/${id}`, coach)).body.placement as PlacementView;

  it('opens the terms as recorded, in a page that gives no referrer', async () => {
    const { link } = await newPlacementWithLink({ jobTitle: 'Archive clerk', hoursPerWeek: 22 });
    const page = await new FormClient(url).get(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.html).toContain(employer.name);
    expect(page.html).toContain('value="Archive clerk"');
    expect(formFields(page.html)).toMatchObject({
      jobTitle: 'Archive clerk',
      startDate: todayIso(),
      hoursPerWeek: '22',
      wageAmount: '300',
      wageCurrency: 'OMR',
      wagePeriod: 'month',
      supervisorId: '',
      version: '1',
    });
    for (const s of employer.supervisors) expect(page.html).toContain(`value="${s.id}"`);
  });

  it('names a wrong field in the page language and changes nothing', async () => {
    const { id, link } = await newPlacementWithLink();
    const client = new FormClient(url);
    client.cookies.set('lang', 'ar');
    const fields = formFields((await client.get(link)).html);
    const page = await client.post(`${link}/confirm`, { ...fields, hoursPerWeek: '120' });
    expect(page.status).toBe(400);
    expect(errorSummaryOf(page.html)).toEqual(['hoursPerWeek']);
    expect(page.html).toContain(ar('placementForms.errors.hoursPerWeek'));
    const now = await placementNow(id);
    expect(now).toMatchObject({ status: 'recorded', version: 1, hoursPerWeek: 20 });
  });

  it('says so when the link for later changes could not be mailed', async () => {
    const { link } = await newPlacementWithLink();
    const client = new FormClient(url);
    const notMailed = await client.get(`${link}/confirmed?mailed=no`);
    expect(notMailed.status).toBe(200);
    expect(notMailed.html).toContain(en('employerLink.done.confirmed.notMailed'));
    expect(notMailed.html).not.toContain(en('employerLink.done.confirmed.body'));
    const mailed = await client.get(`${link}/confirmed`);
    expect(mailed.html).toContain(en('employerLink.done.confirmed.body'));
  });

  it('shows why a link is refused (410), never an error page', async () => {
    const unknown = await new FormClient(url).get(`/e/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(410);
    expect(unknown.html).toContain(en('linkRefused.unknown.heading'));
    const malformed = await new FormClient(url).get('/e/short');
    expect(malformed.status).toBe(410);
  });

  it('confirms once when the form is sent twice, then the confirm link is used up', async () => {
    const { id, link } = await newPlacementWithLink();
    const client = new FormClient(url);
    const fields = formFields((await client.get(link)).html);
    const chosen = {
      ...fields,
      hoursPerWeek: '25',
      accommodations: ['screen-reader', 'flexible-schedule'],
      supervisorId: employer.supervisors[0]?.id as string,
    };
    const [first, second] = await Promise.all([
      client.post(`${link}/confirm`, chosen),
      client.post(`${link}/confirm`, chosen),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.location).toBe(`${link}/confirmed`);
    const thanks = await client.get(first.location as string);
    expect(thanks.html).toContain(en('employerLink.done.confirmed.body'));

    const now = await placementNow(id);
    expect(now).toMatchObject({
      status: 'confirmed',
      hoursPerWeek: 25,
      supervisorId: employer.supervisors[0]?.id,
    });
    expect([...now.accommodations].sort()).toEqual(['flexible-schedule', 'screen-reader']);
    await events.readAll();
    const confirmed = events.events.filter(
      (e) => e.key === id && e.event.type === 'placement.confirmed',
    );
    expect(confirmed).toHaveLength(1);

    const usedUp = await client.get(link);
    expect(usedUp.status).toBe(410);
    expect(usedUp.html).toContain(en('linkRefused.usedUp.heading'));
  });

  it('reports a change and the end by the second link; the service’s refusal names the field', async () => {
    const { id, link } = await newPlacementWithLink();
    const client = new FormClient(url);
    // a form of another purpose than the link's goes to the link's start, POST as GET
    expect((await client.get(`${link}/change`)).location).toBe(link);
    const early = await client.post(`${link}/change`, {
      ...formFields((await client.get(link)).html),
      hoursPerWeek: '15',
    });
    expect(early.status).toBe(303);
    expect(early.location).toBe(link);
    const confirmed = await client.post(
      `${link}/confirm`,
      formFields((await client.get(link)).html),
    );
    expect(confirmed.status).toBe(303);
    const report = linkPathIn(await nthMailTo(smtp, employer.hrEmail, 1));

    const start = await client.get(report);
    expect(start.status).toBe(200);
    expect(start.html).toContain(`href="${report}/change"`);

    const changeFields = formFields((await client.get(`${report}/change`)).html);
    const nothing = await client.post(`${report}/change`, changeFields);
    expect(nothing.status).toBe(400);
    expect(errorSummaryOf(nothing.html)).toEqual(['hoursPerWeek']);
    const changed = await client.post(`${report}/change`, { ...changeFields, hoursPerWeek: '15' });
    expect(changed.location).toBe(`${report}/changed`);
    expect(await placementNow(id)).toMatchObject({ status: 'confirmed', hoursPerWeek: 15 });

    const endFields = formFields((await client.get(`${report}/end`)).html);
    const tooEarly = await client.post(`${report}/end`, {
      ...endFields,
      endDate: '2000-01-01',
      reason: 'resigned',
      initiatedBy: 'participant',
    });
    expect(tooEarly.status).toBe(400); // the service's rule: not before the start
    expect(errorSummaryOf(tooEarly.html)).toEqual(['endDate']);
    // in Arabic, the service's refusal reads in Arabic too (its words, or the field's own)
    client.cookies.set('lang', 'ar');
    const tooEarlyAr = await client.post(`${report}/end`, {
      ...formFields(tooEarly.html),
      endDate: '2000-01-01',
      reason: 'resigned',
      initiatedBy: 'participant',
    });
    client.cookies.delete('lang');
    expect(tooEarlyAr.status).toBe(400);
    const message = /<a href="#endDate">([^<]+)<\/a>/.exec(tooEarlyAr.html)?.[1] ?? '';
    expect(message).toMatch(/[\u0600-\u06ff]/);
    const ended = await client.post(`${report}/end`, {
      ...formFields(tooEarly.html),
      endDate: todayIso(),
      reason: 'resigned',
      initiatedBy: 'participant',
    });
    expect(ended.location).toBe(`${report}/ended`);
    expect(await placementNow(id)).toMatchObject({ status: 'ended' });
    expect((await client.get(report)).status).toBe(410);
  });

  it('brings a stale form back as the placement is now, saying someone changed it', async () => {
    const { id, link } = await newPlacementWithLink();
    const client = new FormClient(url);
    const fields = formFields((await client.get(link)).html);
    const res = await api.post(`/placements/${id}/changes`, coach, {
      version: 1,
      effectiveDate: todayIso(),
      hoursPerWeek: 32,
    });
    expect(res.status).toBe(200);
    const page: Page = await client.post(`${link}/confirm`, { ...fields, hoursPerWeek: '25' });
    expect(page.status).toBe(409);
    expect(page.html).toContain(en('placementForms.changedMeanwhile'));
    expect(formFields(page.html)).toMatchObject({ hoursPerWeek: '32', version: '2' });
    expect(await placementNow(id)).toMatchObject({ status: 'recorded', hoursPerWeek: 32 });
  });

  describe('signed in', () => {
    const PASSWORD = 'employer pages password';
    const signIn = async (role: 'employer-user' | 'coach', employerId: string | null) => {
      const db = await mongoose
        .createConnection(env.MONGO_URL, { dbName: env.MONGO_DB })
        .asPromise();
      const id = role === 'coach' ? coach.userId : randomUUID();
      const email = `${role}-${randomUUID()}@employer.test`;
      try {
        const now = new Date();
        await createUserRepository(db).insert({
          id,
          email,
          displayName: role,
          role,
          programmeIds: role === 'coach' ? coach.programmeIds : [],
          employerId,
          locale: 'en',
          status: 'active',
          passwordHash: await createPasswordHasher({ memoryKiB: 8192, passes: 1 }).hash(PASSWORD),
          invitation: null,
          createdAt: now,
          updatedAt: now,
        });
      } finally {
        await db.close();
      }
      const client = new FormClient(url);
      const signedIn = await client.submit('/sign-in', { email, password: PASSWORD });
      expect(signedIn.status).toBe(303);
      return client;
    };

    it('an employer user confirms their placement; a coach reports its end', async () => {
      employer = await createEmployerWithContacts(api, coach);
      const recorded = await recordPlacementAt(api, coach, employer.id);
      const employerUser = await signIn('employer-user', employer.id);
      const path = `/placements/${recorded.id}/confirm`;
      const form = await employerUser.get(path);
      expect(form.status).toBe(200);
      const fields = formFields(form.html);
      const bad = await employerUser.post(path, { ...fields, wageCurrency: 'rials' });
      expect(bad.status).toBe(400);
      expect(errorSummaryOf(bad.html)).toEqual(['wageCurrency']);
      const done = await employerUser.post(path, { ...formFields(bad.html), wageCurrency: 'omr' });
      expect(done.location).toBe(`/placements/${recorded.id}/confirmed`);
      expect(await placementNow(recorded.id)).toMatchObject({ status: 'confirmed' });
      expect((await employerUser.get(path)).html).toContain(
        en('placementForms.confirm.notApplicable'),
      );
      // the same form sent again (another tab): nothing left to do, and it says so (409)
      const late = await employerUser.post(path, {
        ...formFields(bad.html),
        wageCurrency: 'omr',
        idempotencyKey: randomUUID(),
      });
      expect(late.status).toBe(409);
      expect(late.html).toContain(en('placementForms.confirm.notApplicable'));

      const staff = await signIn('coach', null);
      const endPath = `/placements/${recorded.id}/end`;
      const endFields = formFields((await staff.get(endPath)).html);
      const ended = await staff.post(endPath, {
        ...endFields,
        endDate: todayIso(),
        reason: 'contract-ended',
        initiatedBy: 'mutual',
      });
      expect(ended.location).toBe(`/placements/${recorded.id}/ended`);
      expect(await placementNow(recorded.id)).toMatchObject({
        status: 'ended',
        ending: { reason: 'contract-ended', initiatedBy: 'mutual' },
      });
    });

    it('shows another employer’s placement to nobody', async () => {
      const other = await createEmployerWithContacts(api, coach);
      const recorded = await recordPlacementAt(api, coach, other.id);
      const stranger = await signIn('employer-user', randomUUID());
      expect((await stranger.get(`/placements/${recorded.id}/confirm`)).status).toBe(404);
    });
  });
});
