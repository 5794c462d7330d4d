import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { testCaller } from '@sanad/testing';
import { loadConfig } from '../src/config';
import { translatorFor } from '../src/i18n';
import { startWebApp } from '../src/main';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import {
  checkinLinkMailedTo,
  followUpsReady,
  placementWithCheckinsDue,
  startFollowUpServices,
  type FollowUpServices,
  type PlacementWithCheckinsDue,
} from './support/checkin-services';
import { freePort } from './support/employer-links';
import { errorSummaryOf, FormClient } from './support/form-client';
import {
  cleanUpWebTest,
  seedUsers,
  webTestEnv,
  type SeededUser,
  type TestRole,
} from './support/web-env';

const en = translatorFor('en');
const ar = translatorFor('ar');
const PASSWORD = 'check-in pages password';

/** The hidden fields and the path of a page's form (its action, the secret in it). */
const formOf = (html: string) => ({
  action: (/<main[\s\S]*?<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '').replace(
    /&amp;/g,
    '&',
  ),
  idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? '',
  respondent: /name="respondent" value="([^"]+)"/.exec(html)?.[1] ?? '',
});

/** A participant's answers as the form sends them. */
const participantAnswers = {
  'stability.stillEmployed': 'yes',
  'stability.hoursLastWeek': '18.5',
  'stability.absenceDays': '0',
  'stability.lateDays': '1',
  'stability.wageChange': 'none',
  'professional.copesWithTasks': '4',
  'professional.supervisorRelation': '5',
  'professional.accommodationsInPlace': 'yes',
  'social.coworkerRelations': '4',
  'social.feelsIncluded': '3',
  'social.transportProblem': 'no',
  'social.wellbeing': '4',
  satisfaction: '5',
};
const supervisorAnswers = {
  attendance: '5',
  punctuality: '4',
  taskPerformance: '4',
  relations: '5',
  accommodationsWorking: 'yes',
  concern: 'no',
  hoursLastWeek: '20',
};

/**
 * The check-in pages with the real placement and check-in services (which plan the follow-ups
 * from the placement's events and mail the links through a real SMTP server), the real database,
 * Kafka and Redis: the participant's and the supervisor's link pages, the coach's Follow-up
 * section, recording a check-in, the check-ins due, and the admin's follow-up policy.
 */
describe('check-in pages on the real servers', () => {
  let services: FollowUpServices;
  let env: ReturnType<typeof webTestEnv>;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;
  let users: Record<TestRole, SeededUser>;
  let coach: ReturnType<typeof testCaller>;
  const admin = testCaller('admin');
  let due: PlacementWithCheckinsDue;

  beforeAll(async () => {
    const webPort = await freePort();
    url = `http://127.0.0.1:${webPort}`;
    services = await startFollowUpServices({ webBaseUrl: url });
    env = webTestEnv({
      PORT: String(webPort),
      PLACEMENT_URL: services.placementUrl,
      CHECKIN_URL: services.checkinUrl,
    });
    web = await startWebApp(loadConfig(env));
    users = await seedUsers(env, PASSWORD, 'checkins');
    coach = testCaller('coach', {
      userId: users.coach.id,
      programmeIds: users.coach.programmeIds,
    });
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    await createProgrammeRepository(db).save({
      id: users.coach.programmeIds[0] as string,
      name: 'Muscat supported employment',
      createdAt: new Date(),
    });
    await db.close();
    due = await placementWithCheckinsDue(services, coach, admin, { language: 'en' });
  }, 60_000);
  afterAll(async () => {
    await web?.stop();
    await services?.stop();
    if (env) await cleanUpWebTest(env);
  });

  const signedInAs = async (role: TestRole) => {
    const client = new FormClient(url);
    const page = await client.submit('/sign-in', { email: users[role].email, password: PASSWORD });
    expect(page.location).toBe('/');
    return client;
  };
  const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;

  describe('the participant’s link', () => {
    let link: string;
    beforeAll(async () => {
      link = pathOf(await checkinLinkMailedTo(services, due.participantEmail));
    }, 40_000);

    it('opens one page of questions in the mail’s language, with no referrer and no cache', async () => {
      expect(link).toMatch(/^\/c\/[\w-]{20,100}\?lang=en$/);
      const page = await new FormClient(url).get(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.html).toContain('<html lang="en" dir="ltr">');
      expect(page.html).toContain(en('checkinLink.participant.title'));
      // 13 questions: 11 groups of radios (each a fieldset with a legend) and 3 number fields
      for (const name of Object.keys(participantAnswers)) {
        expect(page.html).toContain(`name="${name}"`);
      }
      expect(page.html).toContain(en('checkins.scales.ease.1'));
      expect(page.html).toContain(en('checkins.scales.ease.5'));
      expect(page.html).toMatch(/id="stability-hoursLastWeek"[^>]*inputmode="decimal"/);
      expect(formOf(page.html)).toMatchObject({ respondent: 'participant' });
      expect(formOf(page.html).idempotencyKey).toMatch(/^[\w-]{36}$/);
    });

    it('opens in Arabic with the Arabic hint', async () => {
      const page = await new FormClient(url).get(link.replace('lang=en', 'lang=ar'));
      expect(page.status).toBe(200);
      expect(page.html).toContain('<html lang="ar" dir="rtl">');
      expect(page.html).toContain(ar('checkinLink.participant.title'));
    });

    it('names every unanswered question, in the form’s order, and keeps what was typed', async () => {
      const client = new FormClient(url);
      const form = formOf((await client.get(link)).html);
      const page = await client.post(form.action, {
        idempotencyKey: form.idempotencyKey,
        respondent: form.respondent,
        'stability.stillEmployed': 'yes',
        'stability.hoursLastWeek': '200',
      });
      expect(page.status).toBe(400);
      const summary = errorSummaryOf(page.html);
      expect(summary[0]).toBe('stability-hoursLastWeek');
      expect(summary).toContain('satisfaction');
      expect(summary).toHaveLength(12);
      expect(page.html).toContain(en('checkins.errors.stability_hoursLastWeek'));
      expect(page.html).toMatch(
        /aria-describedby="stability-hoursLastWeek-hint stability-hoursLastWeek-error"/,
      );
      expect(page.html).toMatch(
        /id="stability-stillEmployed" name="stability.stillEmployed" type="radio" value="yes" checked/,
      );
    });

    it('takes the answers once, even sent twice, then thanks; the link is then used', async () => {
      const client = new FormClient(url);
      const form = formOf((await client.get(link)).html);
      const fields = {
        idempotencyKey: form.idempotencyKey,
        respondent: form.respondent,
        ...participantAnswers,
      };
      const first = await client.post(form.action, fields);
      expect(first.status).toBe(303);
      expect(first.location).toMatch(/^\/c\/[\w-]+\/thanks\?lang=en$/);
      const second = await client.post(form.action, fields);
      expect(second.status).toBe(303);
      const thanks = await client.get(first.location as string);
      expect(thanks.html).toContain(en('checkinLink.done.title'));
      expect(thanks.headers.get('referrer-policy')).toBe('no-referrer');

      const follow = await services.checkinApi.get(
        `/placements/${due.placementId}/follow-ups`,
        coach,
      );
      const records = (follow.body.records ?? []) as { respondent: string; channel: string }[];
      expect(records.filter((r) => r.respondent === 'participant')).toHaveLength(1);
      expect(records[0]).toMatchObject({ channel: 'web-link' });

      const again = await client.get(link);
      expect([200, 410]).toContain(again.status);
      expect(again.html).toMatch(
        new RegExp(`${en('checkinLink.answered.title')}|${en('linkRefused.usedUp.heading')}`),
      );
      // another submission with another key: answered already
      const other = await client.post(form.action, { ...fields, idempotencyKey: randomUUID() });
      expect([409, 410]).toContain(other.status);
    });
  });

  it('the supervisor’s link asks 7 questions and thanks', async () => {
    const link = pathOf(await checkinLinkMailedTo(services, due.supervisorEmail));
    const client = new FormClient(url);
    const page = await client.get(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(en('checkinLink.supervisor.title'));
    for (const name of Object.keys(supervisorAnswers))
      expect(page.html).toContain(`name="${name}"`);
    expect(page.html).not.toContain('name="stability.stillEmployed"');
    const form = formOf(page.html);
    expect(form.respondent).toBe('supervisor');
    const sent = await client.post(form.action, {
      idempotencyKey: form.idempotencyKey,
      respondent: form.respondent,
      ...supervisorAnswers,
    });
    expect(sent.status).toBe(303);
    expect((await client.get(sent.location as string)).html).toContain(
      en('checkinLink.done.title'),
    );
  }, 40_000);

  it('shows why a link is refused (410), never an error page', async () => {
    const unknown = await new FormClient(url).get(`/c/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(410);
    expect(unknown.html).toContain(en('linkRefused.unknown.heading'));
    expect((await new FormClient(url).get('/c/short')).status).toBe(410);
  });

  describe('the coach’s pages', () => {
    beforeAll(async () => {
      await followUpsReady(services, due.placementId, coach);
    });

    it('shows the Follow-up section on the placement’s page, and the check-ins due', async () => {
      const client = await signedInAs('coach');
      const page = await client.get(`/placements/${due.placementId}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain(en('checkins.followUp.heading'));
      expect(page.html).toContain(en('checkins.dayN', { day: '7' }));
      expect(page.html).toContain(`href="/placements/${due.placementId}/checkins/new"`);

      const list = await client.get('/checkins');
      expect(list.status).toBe(200);
      expect(list.html).toContain(en('checkins.due.title'));
      expect(list.html).toContain(`href="/placements/${due.placementId}#follow-up"`);
      expect(list.html).toContain('aria-current="page"'); // in the navigation
      const employerUser = await signedInAs('employer-user');
      expect((await employerUser.get('/checkins')).status).toBe(404);
    });

    it('records a check-in once; the same planned check-in again is refused clearly (409)', async () => {
      const client = await signedInAs('coach');
      const page = await client.get(`/placements/${due.placementId}/checkins/new`);
      expect(page.status).toBe(200);
      const planned = /<option value="([0-9a-f-]{36})"/.exec(page.html)?.[1];
      expect(planned).toBeDefined();
      // the coach's check-in due now is chosen already
      expect(page.html).toContain(`<option value="${planned}" selected>`);
      const key = formOf(page.html).idempotencyKey;

      const invalid = await client.post(`/placements/${due.placementId}/checkins/new`, {
        idempotencyKey: key,
        checkinId: planned as string,
        'stability.stillEmployed': 'yes', // a section begun must be finished
      });
      expect(invalid.status).toBe(400);
      expect(errorSummaryOf(invalid.html)).toEqual([
        'contactType',
        'twoWay',
        'stability-hoursLastWeek',
        'stability-absenceDays',
        'stability-lateDays',
        'stability-wageChange',
      ]);

      const fields = {
        idempotencyKey: key,
        contactType: 'phone',
        twoWay: 'yes',
        checkinId: planned as string,
        'social.coworkerRelations': '2',
        'social.feelsIncluded': '2',
        'social.transportProblem': 'yes',
        'social.wellbeing': '3',
        notes: 'Talked about the bus timetable.',
      };
      const recorded = await client.post(`/placements/${due.placementId}/checkins/new`, fields);
      expect(recorded.status).toBe(303);
      expect(recorded.location).toBe(`/placements/${due.placementId}?checkin=recorded#follow-up`);
      const shown = await client.get(recorded.location as string);
      expect(shown.html).toContain(en('checkins.followUp.recorded'));
      expect(shown.html).toContain(en('checkins.flags.transportProblem'));
      expect(shown.html).toContain('Talked about the bus timetable.');

      const again = await client.post(`/placements/${due.placementId}/checkins/new`, {
        ...fields,
        idempotencyKey: randomUUID(),
      });
      expect(again.status).toBe(409);
      expect(again.html).toContain(en('checkins.new.alreadyCompleted'));
    });
  });

  describe('the admin’s follow-up policy', () => {
    const policyPath = () => `/admin/programmes/${users.coach.programmeIds[0]}/follow-up-policy`;
    const hidden = (html: string, name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

    it('is linked from the programmes and saves a new version, saying how many plans were re-planned', async () => {
      const client = await signedInAs('admin');
      expect((await client.get('/admin/programmes')).html).toContain(`href="${policyPath()}"`);
      const page = await client.get(policyPath());
      expect(page.status).toBe(200);
      expect(page.html).toContain('name="milestones.0.day" type="text" value="7"');
      const version = hidden(page.html, 'version');
      const saved = await client.post(policyPath(), {
        version,
        rows: hidden(page.html, 'rows'),
        'milestones.0.day': '7',
        'milestones.0.respondents': ['coach', 'participant', 'supervisor'],
        'milestones.1.day': '30',
        'milestones.1.respondents': ['coach'],
        graceDays: '30',
        'channels.coach': ['phone', 'visit'],
        replanOpen: 'yes',
      });
      expect(saved.status).toBe(303);
      expect(saved.location).toMatch(/\?replanned=\d+$/);
      const after = await client.get(saved.location as string);
      expect(after.html).toContain(en('followUpPolicy.saved'));
      expect(after.html).toContain('name="milestones.1.day" type="text" value="30"');

      // the same form again, read from the older version: refused, shown as the policy is now
      const stale = await client.post(policyPath(), {
        version,
        rows: '4',
        'milestones.0.day': '7',
        'milestones.0.respondents': 'coach',
        graceDays: '10',
        'channels.coach': 'phone',
      });
      expect(stale.status).toBe(409);
      expect(stale.html).toContain(en('followUpPolicy.stale'));

      const invalid = await client.post(policyPath(), {
        version: hidden(after.html, 'version'),
        rows: '4',
        'milestones.0.day': '0',
        'milestones.0.respondents': 'coach',
        graceDays: '99',
      });
      expect(invalid.status).toBe(400);
      expect(errorSummaryOf(invalid.html)).toEqual([
        'milestones-0-day',
        'graceDays',
        'channels-coach',
      ]);
    });

    it('is for admins only', async () => {
      for (const role of ['coach', 'programme-manager', 'employer-user'] as const) {
        expect((await (await signedInAs(role)).get(policyPath())).status).toBe(404);
      }
    });
  });
});
