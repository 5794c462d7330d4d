import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Role } from '@sanad/auth';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes, type RouteRef } from '@sanad/service-kit';
import { loadConfig } from '../src/config';
import { createPasswordHasher } from '../src/identity/passwords';
import { startWebApp } from '../src/main';
import { createUserRepository } from '../src/persistence/users.repository';
import { FormClient, type Page } from './support/form-client';
import { webTestEnv, cleanUpWebTest } from './support/web-env';

/**
 * Every page of the web app x every role (and no one signed in): public pages open for all,
 * signed-in pages send strangers to sign in, admin pages do not exist for anyone but an admin.
 * The app's registered routes must equal this table, so a new page cannot escape it.
 */
type Access = 'public' | 'signed-in' | 'admin';
const pages: (RouteRef & { access: Access })[] = [
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

const ROLES: Role[] = ['admin', 'programme-manager', 'coach', 'employer-user'];
const PASSWORD = 'matrix password for everyone';

describe('web app access matrix on the real Redis and database', () => {
  const env = webTestEnv({ BOOTSTRAP_ADMIN_EMAIL: '', BOOTSTRAP_ADMIN_PASSWORD: '' });
  delete (env as Record<string, string>).BOOTSTRAP_ADMIN_EMAIL;
  delete (env as Record<string, string>).BOOTSTRAP_ADMIN_PASSWORD;
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;
  const ids = {} as Record<Role, string>;

  beforeAll(async () => {
    web = await startWebApp(loadConfig(env));
    url = `http://127.0.0.1:${web.port}`;
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    const users = createUserRepository(db);
    const hash = await createPasswordHasher({ memoryKiB: 8192, passes: 1 }).hash(PASSWORD);
    for (const role of ROLES) {
      ids[role] = randomUUID();
      const now = new Date();
      await users.insert({
        id: ids[role],
        email: `${role}@matrix.test`,
        displayName: role,
        role,
        programmeIds: role === 'programme-manager' ? [randomUUID()] : [],
        employerId: role === 'employer-user' ? randomUUID() : null,
        locale: 'en',
        status: 'active',
        passwordHash: hash,
        invitation: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    await db.close();
  });
  afterAll(async () => {
    await web.stop();
    await cleanUpWebTest(env);
  });

  it('covers every route the app registers', () => {
    expect(registeredRoutes(web.app)).toEqual(sortRoutes([...PUBLIC_ROUTES, ...pages]));
  });

  /** A visitor: signed in as the role, or not at all; holding a CSRF token from a page. */
  const visitor = async (role: Role | 'anonymous') => {
    const client = new FormClient(url);
    if (role !== 'anonymous') {
      const signedIn = await client.submit('/sign-in', {
        email: `${role}@matrix.test`,
        password: PASSWORD,
      });
      expect(signedIn.location).toBe('/');
    }
    // a page of theirs: its language switch carries their CSRF token
    await client.get(role === 'anonymous' ? '/sign-in' : '/account');
    return client;
  };

  const call = (client: FormClient, page: RouteRef, role: Role | 'anonymous'): Promise<Page> => {
    const path = page.path
      .replace(':userId', ids[role === 'anonymous' ? 'admin' : role] ?? randomUUID())
      .replace(':secret', 'x'.repeat(43));
    return page.method === 'GET' ? client.get(path) : client.post(path, {});
  };

  const verdict = (page: Page): 'shown' | 'hidden' | 'sign-in' | 'refused' => {
    // sent to sign in first (a GET comes back after): not the sign-out pages' own redirects
    if (page.status === 303 && /^\/sign-in(\?next=|$)/.test(page.location ?? '')) return 'sign-in';
    if (page.status === 404) return 'hidden';
    if (page.status === 403) return 'refused'; // e.g. a CSRF token that does not fit
    expect(page.status).toBeLessThan(500);
    return 'shown';
  };

  const expected = (access: Access, role: Role | 'anonymous') => {
    if (access === 'public') return null; // anything but an error on our side
    if (role === 'anonymous') return 'sign-in';
    if (access === 'admin' && role !== 'admin') return 'hidden';
    return 'shown';
  };

  const cases = pages.flatMap((page) =>
    (['anonymous', ...ROLES] as const).map((role) => [page, role] as const),
  );

  it.each(cases.map(([page, role]) => [`${page.method} ${page.path}`, role, page] as const))(
    '%s as %s',
    async (_name, role, page) => {
      const client = await visitor(role);
      const answer = await call(client, page, role);
      const want = expected(page.access, role);
      if (want === null) {
        expect(answer.status).toBeLessThan(500);
        expect([403, 404]).not.toContain(answer.status);
      } else {
        expect(verdict(answer)).toBe(want);
      }
    },
  );
});
