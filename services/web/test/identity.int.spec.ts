import mongoose from 'mongoose';
import { loadConfig } from '../src/config';
import { startWebApp } from '../src/main';
import { errorSummaryOf, FormClient } from './support/form-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, webTestEnv, cleanUpWebTest } from './support/web-env';

describe('sign-in, sessions and invitations on the real Redis and database', () => {
  const env = webTestEnv();
  let web: Awaited<ReturnType<typeof startWebApp>>;
  let url: string;

  const start = async () => {
    web = await startWebApp(loadConfig({ ...env, PORT: url ? new URL(url).port : '0' }));
    url = `http://127.0.0.1:${web.port}`;
  };
  beforeAll(start);
  afterAll(async () => {
    await web.stop();
    await cleanUpWebTest(env);
  });

  const signIn = async (email = ADMIN_EMAIL, password = ADMIN_PASSWORD) => {
    const client = new FormClient(url);
    const page = await client.submit('/sign-in', { email, password });
    return { client, page };
  };

  it('signs in with the right password: a new HttpOnly, Secure, SameSite session cookie, then home', async () => {
    const { client, page } = await signIn();
    expect(page.status).toBe(303);
    expect(page.location).toBe('/');
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('sanad_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('Administrator');
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    const wrong = await signIn(ADMIN_EMAIL, 'not the password at all');
    const unknown = await signIn('nobody@sanad.test', 'not the password at all');
    for (const { client, page } of [wrong, unknown]) {
      expect(page.status).toBe(401);
      expect(errorSummaryOf(page.html)).toEqual(['email']);
      expect(client.cookies.has('sanad_session')).toBe(false);
    }
    expect(wrong.page.html.replace(/value="[^"]*"/g, '')).toBe(
      unknown.page.html.replace(/value="[^"]*"/g, ''),
    );
  });

  it('names each wrong field of a bad sign-in form', async () => {
    const { page } = await signIn('not-an-email', '');
    expect(page.status).toBe(400);
    expect(errorSummaryOf(page.html)).toEqual(['email', 'password']);
  });

  it('locks an account after repeated wrong passwords, even against the right one', async () => {
    const email = 'locked@sanad.test';
    // an account that exists: invite and activate it
    const admin = (await signIn()).client;
    const invited = await admin.submit(
      '/admin/users/new',
      { displayName: 'Lock Test', email, role: 'coach', locale: 'en', employerId: '' },
      '/admin/users',
    );
    const link =
      /data-testid="invitation-link"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-testid="invitation-link"/.exec(
        invited.html,
      );
    const path = new URL((link?.[1] ?? link?.[2]) as string).pathname;
    const invitee = new FormClient(url);
    await invitee.submit(path, {
      password: 'a long enough password',
      confirmPassword: 'a long enough password',
      locale: 'en',
    });

    for (let i = 0; i < 5; i++) await signIn(email, 'wrong password number ' + i);
    const right = await signIn(email, 'a long enough password');
    expect(right.page.status).toBe(429);
    expect(Number(right.page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(right.client.cookies.has('sanad_session')).toBe(false);
  });

  it('refuses a form without its CSRF token, or with another visitor’s, and changes nothing', async () => {
    const anonymous = new FormClient(url);
    await anonymous.get('/sign-in');
    const missing = await anonymous.post(
      '/sign-in',
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      { csrf: false },
    );
    expect(missing.status).toBe(403);
    expect(anonymous.cookies.has('sanad_session')).toBe(false);

    const { client: admin } = await signIn();
    const other = new FormClient(url);
    await other.get('/sign-in');
    const foreignToken = /name="_csrf" value="([^"]+)"/.exec(
      (await other.get('/sign-in')).html,
    )?.[1] as string;
    const forged = await admin.post('/admin/programmes', { name: 'Forged', _csrf: foreignToken });
    expect(forged.status).toBe(403);
    expect((await admin.get('/admin/programmes')).html).not.toContain('Forged');
  });

  it('keeps a session across a restart of the web app (sessions live in Redis)', async () => {
    const { client } = await signIn();
    await web.stop();
    await start();
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('Administrator');
  });

  it('signs out everywhere: every device of the user is signed out', async () => {
    const laptop = (await signIn()).client;
    const phone = (await signIn()).client;
    await laptop.get('/account');
    const out = await laptop.post('/sign-out-everywhere', {});
    expect(out.status).toBe(303);
    expect((await phone.get('/')).location).toBe('/sign-in?next=%2F');
    expect((await laptop.get('/')).location).toBe('/sign-in?next=%2F');
  });

  it('an invited coach chooses Arabic, signs in, and does not see admin pages', async () => {
    const admin = (await signIn()).client;
    const page = await admin.submit(
      '/admin/users/new',
      {
        displayName: 'Coach Salma',
        email: 'salma@sanad.test',
        role: 'coach',
        locale: 'ar',
        employerId: '',
      },
      '/admin/users',
    );
    expect(page.status).toBe(201);
    const link = /value="(http[^"]+\/invitations\/[^"]+)"/.exec(page.html)?.[1] as string;
    expect(link).toBeDefined();
    const coach = new FormClient(url);
    const accepted = await coach.submit(new URL(link).pathname, {
      password: 'سر طويل بما يكفي للحساب',
      confirmPassword: 'سر طويل بما يكفي للحساب',
      locale: 'ar',
    });
    expect(accepted.status).toBe(303);
    const home = await coach.get('/');
    expect(home.html).toMatch(
      /<html[^>]*lang="ar"[^>]*dir="rtl"|<html[^>]*dir="rtl"[^>]*lang="ar"/,
    );
    expect((await coach.get('/admin/users')).status).toBe(404);

    const again = await new FormClient(url).get(new URL(link).pathname);
    expect(again.status).toBe(410);
  });

  it('refuses a bad invitation form naming each field and stores no user', async () => {
    const admin = (await signIn()).client;
    const before = (await admin.get('/admin/users')).html.match(/<tr>/g)?.length;
    const page = await admin.submit(
      '/admin/users/new',
      { displayName: '', email: 'nope', role: 'employer-user', locale: 'fr', employerId: 'x' },
      '/admin/users',
    );
    expect(page.status).toBe(400);
    expect(errorSummaryOf(page.html).sort()).toEqual([
      'displayName',
      'email',
      'employerId',
      'locale',
    ]);
    expect((await admin.get('/admin/users')).html.match(/<tr>/g)?.length).toBe(before);
  });

  it('audits sign-ins and changes to users, without their email, and shows a tampered chain', async () => {
    const admin = (await signIn()).client;
    await admin.submit(
      '/admin/users/new',
      {
        displayName: 'Audit Subject',
        email: 'audited@sanad.test',
        role: 'coach',
        locale: 'en',
        employerId: '',
      },
      '/admin/users',
    );
    const exported = await admin.get('/admin/audit/export?source=web');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="audit-web-/);
    const entries = JSON.parse(exported.html) as {
      seq: number;
      action: string;
      subject: { type: string };
    }[];
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['sign-in', 'create']));
    expect(exported.html).not.toContain('audited@sanad.test');
    expect(exported.html).not.toContain('Audit Subject');

    const intact = await admin.get('/admin/audit?source=web');
    expect(intact.html).toMatch(/notification--success/);
    expect(intact.html).not.toMatch(/notification--error/);

    // someone edits a record in the database: the page says where the chain breaks
    const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
    const victim = entries[Math.floor(entries.length / 2)] as { seq: number };
    await db
      .collection('audit_log')
      .updateOne({ _id: victim.seq as never }, { $set: { purpose: 'support' } });
    await db.close();
    const broken = await admin.get('/admin/audit?source=web');
    expect(broken.html).toMatch(/notification--error/);
    expect(broken.html).toContain(`${victim.seq} (hash-mismatch)`);
  });

  it('answers a form too large or with too many fields with a clear 413 page, changing nothing', async () => {
    const client = new FormClient(url);
    await client.get('/sign-in');
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, 'x']));
    const crowded = await client.post('/sign-in', many);
    expect(crowded.status).toBe(413);
    expect(crowded.html).toContain('<h1');
    const huge = await client.post('/sign-in', { email: 'a@b.c', password: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect(client.cookies.has('sanad_session')).toBe(false);
  });
});
