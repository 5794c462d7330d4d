import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '@sanad/testing';

const root = resolve(__dirname, '../../..');

/** A service running as in production: its built JavaScript in a process of its own. */
export interface Running {
  name: string;
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
  output: () => string;
}

/** Starts `services/<name>/dist/main.js` on `port` and waits until it answers /readyz with 200. */
export async function startService(
  name: string,
  env: Record<string, string>,
  port: number,
): Promise<Running> {
  const child = spawn(process.execPath, [resolve(root, `services/${name}/dist/main.js`)], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
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
  return { name, child, url, exit, output: () => out };
}
