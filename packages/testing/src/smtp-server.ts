import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitFor, within } from './wait-for';

/** A message as the test SMTP server received and parsed it. */
export interface ReceivedMail {
  /** The SMTP envelope: MAIL FROM and every RCPT TO. */
  envelope: { from: string; to: string[] };
  messageId: string;
  /** The addresses of the From and To headers. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every header, lower-case names; structured values as JSON. */
  headers: Record<string, string>;
  receivedAt: string;
}

/** What the server process tells its parent over IPC. */
export type SmtpChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'message'; message: ReceivedMail }
  | { type: 'error'; error: string };

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for `createMailer({ smtpUrl })` or SMTP_URL. */
  url: string;
  port: number;
  /** Every message received so far, oldest first. */
  messages(): Promise<ReceivedMail[]>;
  /** The first message (received already or later) that `predicate` accepts; fails after the timeout. */
  waitForMessage(
    predicate?: (message: ReceivedMail) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMail>;
  /** Stops the server process and waits for it to exit. */
  stop(): Promise<void>;
}

/** The server script: its TypeScript source (run through tsx) next to this file, or the built .js. */
function serverScript(): { script: string; execArgv: string[] } {
  const ts = path.join(__dirname, 'smtp-server.process.ts');
  if (existsSync(ts)) {
    return { script: ts, execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href] };
  }
  return { script: path.join(__dirname, 'smtp-server.process.js'), execArgv: [] };
}

/**
 * Starts a real SMTP server in a separate process (smtp-server + mailparser), on 127.0.0.1 and a
 * free port. It accepts any sender and recipient, with or without AUTH, without TLS, and keeps every
 * message it receives. Call `stop()` in `afterAll`.
 */
export async function startTestSmtpServer({
  startTimeoutMs = 15_000,
}: { startTimeoutMs?: number } = {}): Promise<TestSmtpServer> {
  const { script, execArgv } = serverScript();
  const child: ChildProcess = fork(script, [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const received: ReceivedMail[] = [];
  const errors: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await within(
    new Promise<number>((resolve, reject) => {
      child.on('message', (raw: SmtpChildMessage) => {
        if (raw.type === 'listening') resolve(raw.port);
        else if (raw.type === 'message') received.push(raw.message);
        else errors.push(raw.error);
      });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`the test SMTP server exited (${signal ?? code}) before listening`)),
      );
    }),
    startTimeoutMs,
    'the test SMTP server to listen',
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  let stopped = false;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages: async () => [...received],
    waitForMessage: (predicate = () => true, timeoutMs = 10_000) =>
      waitFor(
        () => {
          if (errors.length > 0) throw new Error(`test SMTP server: ${errors.join('; ')}`);
          return received.find(predicate);
        },
        { timeoutMs, intervalMs: 20, what: 'a mail at the test SMTP server' },
      ),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      try {
        await within(exited, 5_000, 'the test SMTP server to stop');
      } catch {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
