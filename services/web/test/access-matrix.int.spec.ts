import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes, type RouteRef } from '@sanad/service-kit';
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
import { loadConfig as loadCheckinConfig } from '../../checkin/src/config';
import { startCheckinService } from '../../checkin/src/main';
import { createProgrammeRepository } from '../src/persistence/programmes.repository';
import { loadConfig } from '../src/config';
import { startWebApp } from '../src/main';
import { FormClient, type Page } from './support/form-client';
import {
  cleanUpWebTest,
  ROLES,
  seedUsers,
  webTestEnv,
  type SeededUser,
  type TestRole,
} from './support/web-env';

/**
 * Every page of the web app x every role (and no one signed in): public pages open for all,
 * signed-in pages send strangers to sign in, admin pages do not exist for anyone but an admin,
 * participant pages not for employer users. Behind the pages, the placement service decides too
 * (a coach may see a participant but not export them). The app's registered routes must equal this
 * table, so a new page cannot escape it.
 */
type Access = 'public' | 'signed-in' | 'staff' | 'admin';
type Verdict = 'shown' | 'hidden' | 'sign-in' | 'refused';
const pages: (RouteRef & { access: Access; except?: Partial<Record<TestRole, Verdict>> })[] = [
  { method: 'GET', path: '/sign-in', access: 'public' },
  { method: 'POST', path: '/sign-in', access: 'public' },
  { method: 'POST', path: '/sign-out', access: 'public' },
  { method: 'GET', path: '/invitations/:secret', access: 'public' },
  { method: 'POST', path: '/invitations/:secret', access: 'public' },
  { method: 'POST', path: '/language', access: 'public' },
  { method: 'GET', path: '/design-system', access: 'public' },
  { method: 'GET', path: '/', access: 'signed-in' },
  { method: 'GET', path: '/account', access: 'signed-in' },
  { method: 'POST', path: '/sign-out-everywhere', access: 'signed-in' },
  { method: 'GET', path: '/participants', access: 'staff' },
  { method: 'GET', path: '/participants/new', access: 'staff' },
  { method: 'POST', path: '/participants', access: 'staff' },
  { method: 'GET', path: '/participants/:participantId', access: 'staff' },
  { method: 'POST', path: '/participants/:participantId/consents', access: 'staff' },
  {
    method: 'GET',
    path: '/participants/:participantId/export',
    access: 'staff',
    except: { coach: 'refused' }, // their coach may see them, not take their data away
  },
  {
    method: 'POST',
    path: '/participants/:participantId/erasure',
    access: 'staff',
    except: { coach: 'refused' },
  },
  {
    method: 'POST',
    path: '/participants/:participantId/coach',
    access: 'staff',
    except: { coach: 'refused' }, // admins and managers set caseloads
  },
  { method: 'GET', path: '/participants/:participantId/edit', access: 'staff' },
  { method: 'POST', path: '/participants/:participantId/edit', access: 'staff' },
  { method: 'GET', path: '/participants/:participantId/placements/new', access: 'staff' },
  { method: 'POST', path: '/participants/:participantId/placements/new', access: 'staff' },
  { method: 'GET', path: '/placements', access: 'signed-in' },
  { method: 'GET', path: '/placements/:placementId', access: 'signed-in' },
  // the programme sends the employer's links
  { method: 'POST', path: '/placements/:placementId/employer-link', access: 'staff' },
  ...(['confirm', 'change', 'end'] as const).flatMap((form) => [
    {
      method: 'GET' as const,
      path: `/placements/:placementId/${form}`,
      access: 'signed-in' as const,
    },
    {
      method: 'POST' as const,
      path: `/placements/:placementId/${form}`,
      access: 'signed-in' as const,
    },
  ]),
  ...(['confirmed', 'changed', 'ended'] as const).map((done) => ({
    method: 'GET' as const,
    path: `/placements/:placementId/${done}`,
    access: 'signed-in' as const,
  })),
  { method: 'GET', path: '/employers', access: 'signed-in' },
  { method: 'GET', path: '/employers/new', access: 'staff' },
  { method: 'POST', path: '/employers/new', access: 'staff' },
  { method: 'GET', path: '/employers/:employerId', access: 'signed-in' },
  { method: 'GET', path: '/employers/:employerId/edit', access: 'signed-in' },
  { method: 'POST', path: '/employers/:employerId/edit', access: 'signed-in' },
  // the employer's signed links: the link is the credential (this one is unknown: a 410 page)
  { method: 'GET', path: '/e/:secret', access: 'public' },
  ...(['confirm', 'change', 'end'] as const).flatMap((form) => [
    { method: 'GET' as const, path: `/e/:secret/${form}`, access: 'public' as const },
    { method: 'POST' as const, path: `/e/:secret/${form}`, access: 'public' as const },
  ]),
  ...(['confirmed', 'changed', 'ended'] as const).map((done) => ({
    method: 'GET' as const,
    path: `/e/:secret/${done}`,
    access: 'public' as const,
  })),
  // the participant's and supervisor's check-in links (this one is unknown: a 410 page)
  { method: 'GET', path: '/c/:secret', access: 'public' },
  { method: 'POST', path: '/c/:secret', access: 'public' },
  { method: 'GET', path: '/c/:secret/thanks', access: 'public' },
  { method: 'GET', path: '/checkins', access: 'staff' },
  { method: 'GET', path: '/placements/:placementId/checkins/new', access: 'staff' },
  { method: 'POST', path: '/placements/:placementId/checkins/new', access: 'staff' },
  { method: 'GET', path: '/admin/programmes/:programmeId/follow-up-policy', access: 'admin' },
  { method: 'POST', path: '/admin/programmes/:programmeId/follow-up-policy', access: 'admin' },
  { method: 'GET', path: '/admin/users', access: 'admin' },
  { method: 'GET', path: '/admin/users/new', access: 'admin' },
  { method: 'POST', path: '/admin/users', access: 'admin' },
  { method: 'GET', path: '/admin/users/:userId', access: 'admin' },
  { method: 'POST', path: '/admin/users/:userId', access: 'admin' },
  { method: 'GET', path: '/admin/programmes', access: 'admin' },
  { method: 'POST', path: '/admin/programmes', access: 'admin' },
  { method: 'GET', path: '/admin/audit', access: 'admin' },
  { method: 'GET', path: '/admin/audit/export', access: 'admin' },
];

const PASSWORD = 'matrix password for everyone';

describe('web app access matrix on the real servers', () => {
  const placementEnv = serviceTestEnv('placement');
  const env = webTestEnv();
  let placement: Awaited<ReturnType<typeof startPlacementService>>;
  // the check-in service follows the placement's events (one set of topics)
  const checkinEnv = serviceTestEnv('checkin', { topicPrefix: placementEnv.KAFKA_TOPIC_PREFIX });
  let checkin: Awaited<ReturnType<typeof startCheckinService>>;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;
  let users: Record<TestRole, SeededUser>;
  let participantId: string;
  let otherParticipantId: string;
  /** The employer user's organisation, and a placement there on the coach's caseload. */
  let employerId: string;
  let placementId: string;

  beforeAll(async () => {
    placement = await startPlacementService(loadPlacementConfig(placementEnv));
    const placementUrl = `http://127.0.0.1:${placement.port}`;
    checkin = await startCheckinService(
      loadCheckinConfig({ ...checkinEnv, PLACEMENT_URL: placementUrl }),
      (error) => {
        throw error;
      },
    );
    web = await startWebApp(
      loadConfig({
        ...env,
        PLACEMENT_URL: placementUrl,
        CHECKIN_URL: `http://127.0.0.1:${checkin.port}`,
      }),
    );
    url = `http://127.0.0.1:${web.port}`;
    const employer = await createTestEmployer(
      apiClient(placementUrl, 'placement'),
      testCaller('admin'),
    );
    employerId = employer.id;
    users = await seedUsers(env, PASSWORD, 'matrix', employerId);
    // the manager's and coach's programme, known to the web app (its follow-up policy page)
    const webDb = await mongoose
      .createConnection(env.MONGO_URL, { dbName: env.MONGO_DB })
      .asPromise();
    await createProgrammeRepository(webDb).save({
      id: users.coach.programmeIds[0] as string,
      name: 'Matrix programme',
      createdAt: new Date(),
    });
    await webDb.close();
    // a participant on the coach's caseload, in the manager's programme
    const coach = users.coach;
    const res = await fetch(`${placementUrl}/participants`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await bearerFor(
          testCaller('coach', { userId: coach.id, programmeIds: coach.programmeIds }),
          'placement',
        ),
      },
      body: JSON.stringify({
        fullName: 'Matrix Participant',
        preferredLanguage: 'ar',
        programmeId: coach.programmeIds[0],
        coachId: coach.id,
        consents: { followUp: true, employerContact: true, reportingByCategory: false },
      }),
    });
    expect(res.status).toBe(201);
    participantId = ((await res.json()) as { participant: { id: string } }).participant.id;
    const recorded = await apiClient(placementUrl, 'placement').post(
      '/placements',
      testCaller('admin'),
      {
        participantId,
        employerId,
        programmeId: coach.programmeIds[0],
        coachId: coach.id,
        jobTitle: 'Matrix clerk',
        startDate: new Date().toISOString().slice(0, 10),
        hoursPerWeek: 20,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      },
    );
    expect(recorded.status).toBe(201);
    placementId = recorded.body.placement.id as string;

    // and one of another coach, in another programme
    const elsewhere = await fetch(`${placementUrl}/participants`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await bearerFor(testCaller('admin'), 'placement'),
      },
      body: JSON.stringify({
        fullName: 'Someone Elsewhere',
        preferredLanguage: 'en',
        programmeId: randomUUID(),
        coachId: randomUUID(),
        consents: { followUp: true, employerContact: false, reportingByCategory: false },
      }),
    });
    expect(elsewhere.status).toBe(201);
    otherParticipantId = ((await elsewhere.json()) as { participant: { id: string } }).participant
      .id;
  });
  afterAll(async () => {
    await web.stop();
    await placement.stop();
    await checkin.stop();
    await dropDatabases([placementEnv.MONGO_DB, checkinEnv.MONGO_DB]);
    await cleanUpWebTest(env);
  });

  it('covers every route the app registers', () => {
    expect(registeredRoutes(web.app)).toEqual(
      sortRoutes([...PUBLIC_ROUTES, ...pages.map(({ method, path }) => ({ method, path }))]),
    );
  });

  /** A visitor: signed in as the role, or not at all; holding a CSRF token from a page. */
  const visitor = async (role: TestRole | 'anonymous') => {
    const client = new FormClient(url);
    if (role !== 'anonymous') {
      const signedIn = await client.submit('/sign-in', {
        email: users[role].email,
        password: PASSWORD,
      });
      expect(signedIn.location).toBe('/');
    }
    // a page of theirs: its language switch carries their CSRF token
    await client.get(role === 'anonymous' ? '/sign-in' : '/account');
    return client;
  };

  const call = (
    client: FormClient,
    page: RouteRef,
    role: TestRole | 'anonymous',
  ): Promise<Page> => {
    const path = page.path
      .replace(':userId', users[role === 'anonymous' ? 'admin' : role].id)
      .replace(':participantId', participantId)
      .replace(':placementId', placementId)
      .replace(':employerId', employerId)
      .replace(':programmeId', users.coach.programmeIds[0] as string)
      .replace(':secret', 'x'.repeat(43));
    return page.method === 'GET' ? client.get(path) : client.post(path, {});
  };

  const verdict = (page: Page): Verdict => {
    // sent to sign in first (a GET comes back after): not the sign-out pages' own redirects
    if (page.status === 303 && /^\/sign-in(\?next=|$)/.test(page.location ?? '')) return 'sign-in';
    if (page.status === 404) return 'hidden';
    if (page.status === 403) return 'refused';
    expect(page.status).toBeLessThan(500);
    return 'shown';
  };

  const expected = (page: (typeof pages)[number], role: TestRole | 'anonymous') => {
    if (page.access === 'public') return null; // anything but an error on our side
    if (role === 'anonymous') return 'sign-in';
    if (page.access === 'admin' && role !== 'admin') return 'hidden';
    if (page.access === 'staff' && role === 'employer-user') return 'hidden';
    return page.except?.[role] ?? 'shown';
  };

  const cases = pages.flatMap((page) =>
    (['anonymous', ...ROLES] as const).map(
      (role) => [`${page.method} ${page.path}`, role, page] as const,
    ),
  );

  it.each(cases)('%s as %s', async (_name, role, page) => {
    const client = await visitor(role);
    const answer = await call(client, page, role);
    const want = expected(page, role);
    if (want === null) {
      expect(answer.status).toBeLessThan(500);
      expect([403, 404]).not.toContain(answer.status);
    } else {
      expect(verdict(answer)).toBe(want);
    }
  });

  it('hides a participant of another caseload and programme, exactly as one that does not exist', async () => {
    const missing = await (await visitor('admin')).get(`/participants/${randomUUID()}`);
    expect(missing.status).toBe(404);
    for (const role of ['coach', 'programme-manager'] as const) {
      const page = await (await visitor(role)).get(`/participants/${otherParticipantId}`);
      expect(page.status).toBe(404);
      expect(page.html).toContain('<h1'); // the not-found page, as for an id that does not exist
      expect(page.html.match(/<h1[^>]*>[^<]*/)?.[0]).toBe(
        missing.html.match(/<h1[^>]*>[^<]*/)?.[0],
      );
      expect(page.html).not.toContain('Someone Elsewhere');
    }
    const admin = await (await visitor('admin')).get(`/participants/${otherParticipantId}`);
    expect(admin.html).toContain('Someone Elsewhere');
  });
});
