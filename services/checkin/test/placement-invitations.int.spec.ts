import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateServiceTokenKeys, PrivateKeyEnv } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import {
  apiClient,
  createTestEmployer,
  dropDatabases,
  serviceTestEnv,
  startTestSmtpServer,
  testCaller,
  testCheckinTokenKeys,
  waitFor,
  type TestSmtpServer,
} from '@sanad/testing';
import { createInvitationSender } from '../src/clients/placement-invitations.client';

const PLACEMENT_MAIN = path.resolve(__dirname, '../../placement/src/main.ts');
const WEB = 'http://127.0.0.1:4999';

/** A port nobody listens on now (for the placement process, and for "unreachable"). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface PlacementProcess {
  url: string;
  child: ChildProcess;
  db: string;
}

/**
 * The real placement service in a process of its own (its TypeScript run through tsx), as the
 * check-in service meets it in production: over HTTP, with the test's check-in key pair.
 */
async function startPlacementProcess(settings: Record<string, string | undefined>) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...serviceTestEnv('placement'),
    ...settings,
  };
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(require.resolve('tsx')).href, PLACEMENT_MAIN],
    { env: { ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`placement exited: ${out}`);
      return (await fetch(`${url}/readyz`).catch(() => null))?.status === 200;
    },
    { timeoutMs: 60_000, what: 'the placement service to be ready' },
  );
  return { url, child, db: env.MONGO_DB as string } satisfies PlacementProcess;
}

/** The AppError a promise rejects with. */
const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('the invitation sender against the real placement service', () => {
  let smtp: TestSmtpServer;
  let placement: PlacementProcess;
  let unconfigured: PlacementProcess;
  const programmeId = randomUUID();
  const coach = testCaller('coach', { programmeIds: [programmeId] });

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    [placement, unconfigured] = await Promise.all([
      startPlacementProcess({ SMTP_URL: smtp.url, WEB_BASE_URL: WEB }),
      startPlacementProcess({ SMTP_URL: smtp.url, CHECKIN_TOKEN_PUBLIC_KEY: undefined }),
    ]);
  });
  afterAll(async () => {
    const running = [placement, unconfigured].filter(Boolean);
    for (const p of running) p.child.kill('SIGTERM');
    await Promise.all(
      running.map((p) =>
        p.child.exitCode === null
          ? new Promise((done) => p.child.once('exit', done))
          : Promise.resolve(),
      ),
    );
    await dropDatabases(running.map((p) => p.db));
    await smtp?.stop();
  });

  const sender = (settings: { placementUrl?: string; privateJwk?: string } = {}) =>
    createInvitationSender({
      placementUrl: settings.placementUrl ?? placement.url,
      privateKey: PrivateKeyEnv.parse(settings.privateJwk ?? testCheckinTokenKeys.privateJwk),
    });

  /** A participant (English, with an email) and their placement, through placement's API. */
  const placementOf = async (consents = { followUp: true, employerContact: true }) => {
    const api = apiClient(placement.url, 'placement');
    const email = `p-${randomUUID().slice(0, 8)}@mail.test`;
    const registered = await api.post('/participants', coach, {
      fullName: 'Omar Said',
      preferredLanguage: 'en',
      email,
      programmeId,
      coachId: coach.userId,
      consents: { ...consents, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const recorded = await api.post('/placements', coach, {
      participantId: registered.body.participant.id,
      employerId: (await createTestEmployer(api, coach)).id,
      programmeId,
      coachId: coach.userId,
      jobTitle: 'Clerk',
      startDate: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
      hoursPerWeek: 20,
      wage: { amount: 300, currency: 'OMR', period: 'month' },
    });
    expect(recorded.status).toBe(201);
    return { placementId: recorded.body.placement.id as string, email };
  };
  const request = (placementId: string) => ({
    placementId,
    checkinId: randomUUID(),
    respondent: 'participant' as const,
    milestoneDay: 7,
    url: `${WEB}/c/${randomUUID().replace(/-/g, '')}?lang=en`,
    expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  });

  it('has the participant mailed, and answers the outcome', async () => {
    const { placementId, email } = await placementOf();
    const asked = request(placementId);
    expect(await sender().send(asked)).toEqual({ sent: true, language: 'en' });
    const mail = await smtp.waitForMessage((m) => m.to.includes(email));
    expect(mail.text.split('\n')).toContain(asked.url);
  });

  it('answers why not, as placement decided', async () => {
    const { placementId } = await placementOf({ followUp: false, employerContact: true });
    expect(await sender().send(request(placementId))).toEqual({
      sent: false,
      reason: 'no-consent',
    });
  });

  it('throws NOT_FOUND for a placement placement does not know', async () => {
    expect((await rejection(sender().send(request(randomUUID())))).code).toBe('NOT_FOUND');
  });

  it('throws UNAUTHENTICATED, naming the keys, when they are not a pair', async () => {
    const other = sender({ privateJwk: generateServiceTokenKeys().privateJwk });
    const error = await rejection(other.send(request(randomUUID())));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/401.*CHECKIN_TOKEN_PRIVATE_KEY/);
  });

  it('throws DEPENDENCY_UNAVAILABLE when placement is unreachable or answers 503', async () => {
    const down = sender({ placementUrl: `http://127.0.0.1:${await freePort()}` });
    const unreachable = await rejection(down.send(request(randomUUID())));
    expect(unreachable.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(unreachable.message).toMatch(/unreachable/);

    const notConfigured = sender({ placementUrl: unconfigured.url });
    const refused = await rejection(notConfigured.send(request(randomUUID())));
    expect(refused.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(refused.message).toMatch(/503.*CHECKIN_TOKEN_PUBLIC_KEY is not set/);
  });
});
