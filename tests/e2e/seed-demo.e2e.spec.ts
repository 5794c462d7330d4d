/**
 * The demo data `npm start` seeds (scripts/seed-demo.ts), against the placement and check-in
 * services as built: every demo placement is confirmed and planned; the one that started 20 days
 * ago has its day-7 check-ins missed, its day-14 ones due and the participant's link mailed in
 * Arabic; and seeding a second time changes nothing (no placement, check-in or mail more).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Caller } from '@sanad/auth';
import {
  dropDatabases,
  servers,
  startTestSmtpServer,
  testCaller,
  testTokenKeys,
  uniqueName,
  type TestSmtpServer,
} from '@sanad/testing';
import { cleanUp, startServices, terminate, type Running } from './support/services';

const WEB = 'http://127.0.0.1:4100';
const root = resolve(__dirname, '../..');
const run = promisify(execFile);

interface Plan {
  status: string;
  checkins: {
    milestoneDay: number;
    respondent: string;
    status: string;
    invitation?: { sent: boolean; reason?: string };
  }[];
}

describe('the demo data', () => {
  let smtp: TestSmtpServer;
  let services: Running[] = [];
  const webDb = uniqueName('seed_web').replace(/[^\w]/g, '_');

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    services = await startServices(['placement', 'checkin'], 29_000, {
      placement: { SMTP_URL: smtp.url, WEB_BASE_URL: WEB },
      checkin: { WEB_BASE_URL: WEB },
    });
  });
  afterAll(async () => {
    await cleanUp(services);
    await dropDatabases([webDb]);
    await smtp?.stop();
  });

  it('confirms and plans every demo placement, mails the due link, and seeds once', async () => {
    const [placement, checkin] = services as [Running, Running];
    const seed = async () => {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', resolve(root, 'scripts/seed-demo.ts'), placement.url, checkin.url],
        {
          cwd: root,
          env: {
            ...process.env,
            SERVICE_TOKEN_PRIVATE_KEY: testTokenKeys.privateJwk,
            MONGO_URL: servers.mongoUrl,
            WEB_MONGO_DB: webDb,
          },
          timeout: 120_000,
        },
      );
      return stdout;
    };
    const admin: Caller = testCaller('admin');
    /** Every placement with its plan: what seeding made, to compare. */
    const snapshot = async () => {
      const list = await placement.api.get('/placements?limit=50', admin);
      expect(list.status).toBe(200);
      const placements = list.body.placements as {
        id: string;
        jobTitle: string;
        status: string;
        startDate: string;
        version: number;
      }[];
      return Promise.all(
        placements.map(async (p) => ({
          ...p,
          plan: (await checkin.api.get(`/placements/${p.id}/follow-ups`, admin)).body as Plan,
        })),
      );
    };

    const first = await seed();
    expect(first).toMatch(/created {2}\S+ {2}Kitchen assistant/);
    const seeded = await snapshot();
    expect(seeded).toHaveLength(4);
    for (const p of seeded) {
      expect(p.status).toBe('confirmed');
      expect(p.plan.status).toBe('open');
      expect(p.plan.checkins.length).toBeGreaterThan(0);
    }

    const twentyDaysAgo = seeded.find(
      (p) => p.jobTitle === 'Kitchen assistant',
    ) as (typeof seeded)[0];
    const find = (day: number, respondent: string) =>
      twentyDaysAgo.plan.checkins.find(
        (c) => c.milestoneDay === day && c.respondent === respondent,
      );
    expect(find(7, 'participant')?.status).toBe('missed');
    expect(find(7, 'coach')?.status).toBe('missed');
    expect(find(14, 'coach')?.status).toBe('due');
    expect(find(14, 'participant')).toMatchObject({ status: 'due', invitation: { sent: true } });
    const mail = await smtp.waitForMessage((m) => m.to.includes('maryam@participant.sanad.test'));
    expect(mail.text).toMatch(new RegExp(`${WEB}/c/[\\w-]+\\?lang=ar`));
    const mailsAfterFirst = (await smtp.messages()).length;

    const second = await seed();
    expect(second).not.toMatch(/created/);
    expect(await snapshot()).toEqual(seeded);
    expect(await smtp.messages()).toHaveLength(mailsAfterFirst);

    expect(await terminate(services)).toEqual([0, 0]);
  });
});
