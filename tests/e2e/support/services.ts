import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import {
  apiClient,
  dropDatabases,
  serviceTestEnv,
  uniqueName,
  waitFor,
  type ApiClient,
  type ServiceTestEnv,
} from '@sanad/testing';

const root = resolve(__dirname, '../../..');

/** A service running as in production: its built JavaScript in a process of its own. */
export interface Running {
  name: string;
  env: ServiceTestEnv;
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
  output: () => string;
  /** Calls to its API as any caller, with tokens made for it. */
  api: ApiClient;
}

/**
 * These journeys record placements that started years ago (every check-in already due) and years
 * ahead (none due yet): the placement service's start-date window is a setting, widened for them.
 */
const WIDE_START_DATE_WINDOW = { START_DATE_DAYS_BEFORE: '3650', START_DATE_DAYS_AFTER: '3650' };

/** Starts `services/<name>/dist/main.js` on `port` and waits until it answers /readyz with 200. */
export async function startService(
  name: string,
  env: ServiceTestEnv,
  port: number,
): Promise<Running> {
  const child = spawn(process.execPath, [resolve(root, `services/${name}/dist/main.js`)], {
    env: {
      ...process.env,
      ...env,
      ...(name === 'placement' ? WIDE_START_DATE_WINDOW : {}),
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${out}`);
      return (await fetch(`${url}/readyz`)).status === 200;
    },
    { timeoutMs: 30_000, what: `${name} to be ready` },
  );
  return { name, env, child, url, exit, output: () => out, api: apiClient(url, name) };
}

/**
 * Starts the services together, in the order given, on topics they share and each with a database
 * of its own, on consecutive ports from `firstPort` plus a random offset (under 800). When the
 * placement service is among them, the others call it there (PLACEMENT_URL: the check-in service
 * asks it to mail invitations), never a placement service that happens to run on its default port.
 * If one does not start, the others are stopped and every database dropped before it fails.
 */
export async function startServices(
  names: string[],
  firstPort: number,
  /** Settings of one service or another (SMTP_URL for the placement service, say). */
  settings: Record<string, Record<string, string>> = {},
): Promise<Running[]> {
  const topicPrefix = `${uniqueName('e2e')}.`;
  const port = firstPort + Math.floor(Math.random() * 800);
  const placementAt = names.indexOf('placement');
  const envs = names.map((name) => ({
    ...serviceTestEnv(name, { topicPrefix }),
    ...(placementAt >= 0 ? { PLACEMENT_URL: `http://127.0.0.1:${port + placementAt}` } : {}),
    ...settings[name],
  }));
  const started = await Promise.allSettled(
    names.map((name, i) => startService(name, envs[i] as ServiceTestEnv, port + i)),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') s.value.child.kill('SIGKILL');
    await dropDatabases(envs.map((e) => e.MONGO_DB));
    throw failed.reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<Running>).value);
}

/** Stops every service with SIGTERM, as an orchestrator does; resolves with their exit codes. */
export async function terminate(services: Running[]): Promise<(number | null)[]> {
  for (const s of services) s.child.kill('SIGTERM');
  return Promise.all(services.map((s) => s.exit));
}

/** Kills whatever still runs and drops the services' databases: for afterAll. */
export async function cleanUp(services: Running[]): Promise<void> {
  for (const s of services) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await dropDatabases(services.map((s) => s.env.MONGO_DB));
}
