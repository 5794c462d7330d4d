/**
 * The SMTP server of `startTestSmtpServer()`, run as its own process (never imported). It listens
 * on 127.0.0.1 and a free port, accepts every message (with or without AUTH, no TLS), parses it and
 * sends it to the parent over IPC: `{ type: 'listening', port }`, then `{ type: 'message', message }`
 * per message. It stops when the parent says `{ type: 'stop' }` or goes away.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { ReceivedMail, SmtpChildMessage } from './smtp-server';

function send(message: SmtpChildMessage): void {
  process.send?.(message);
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

const server = new SMTPServer({
  name: 'sanad-test-smtp',
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  logger: false,
  size: 10 * 1024 * 1024,
  // On stop, connections still open (a pooled client) are closed after this long.
  closeTimeout: 1_000,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username ?? 'anonymous' });
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        const message: ReceivedMail = {
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          messageId: parsed.messageId ?? '',
          from: addresses(parsed.from)[0] ?? '',
          to: addresses(parsed.to),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          headers: Object.fromEntries(
            [...parsed.headers.entries()].map(([key, value]) => [
              key,
              typeof value === 'string' ? value : JSON.stringify(value),
            ]),
          ),
          receivedAt: new Date().toISOString(),
        };
        send({ type: 'message', message });
        callback();
      })
      .catch((error: Error) => callback(error));
  },
});

server.on('error', (error) => {
  send({ type: 'error', error: error.message });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  if (address === null || typeof address === 'string') {
    send({ type: 'error', error: 'no TCP address' });
    process.exit(1);
  }
  send({ type: 'listening', port: address.port });
});

function stop(): void {
  server.close(() => process.exit(0));
}
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') stop();
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', stop);
