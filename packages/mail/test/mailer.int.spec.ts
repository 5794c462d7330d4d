import { createServer, type Server, type Socket } from 'node:net';
import { AppError } from '@sanad/errors';
import { createLogger } from '@sanad/logger';
import { startTestSmtpServer, type TestSmtpServer } from '@sanad/testing';
import { createMailer, employerConfirmationMail, type Mailer } from '../src';

function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'mail-test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? ''));

describe('the mailer against a real SMTP server process', () => {
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  const { logger, lines } = capturedLogger();

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    mailer = createMailer({ smtpUrl: smtp.url, from: 'Sanad <no-reply@sanad.example>', logger });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.stop();
  });

  it.each(['en', 'ar'] as const)(
    '(%s) delivers the employer confirmation mail with the exact link',
    async (locale) => {
      const token = `tok-${locale}-${Date.now().toString(36)}`;
      const link = `https://sanad.example/employer/confirm/${token}?lang=${locale}&from=mail`;
      const to = `layla.${locale}@employer-${locale}.example`;
      const mail = employerConfirmationMail({
        locale,
        organisationName: 'Acme <Foods> & Sons',
        contactName: 'Layla Haddad',
        jobTitle: 'Warehouse assistant',
        startDate: '2026-12-01',
        link,
        expiresAt: new Date('2026-12-15T09:00:00Z'),
      });

      const sent = await mailer.send({ to, ...mail, kind: 'employer-confirmation' });
      const received = await smtp.waitForMessage((m) => m.envelope.to.includes(to), 10_000);

      expect(received.envelope).toEqual({ from: 'no-reply@sanad.example', to: [to] });
      expect(received.to).toEqual([to]);
      expect(received.from).toBe('no-reply@sanad.example');
      expect(received.messageId).toBe(sent.messageId);
      expect(received.subject).toBe(mail.subject);
      expect(received.html).toContain(`dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
      expect(hrefs(received.html)).toEqual([link, link]);
      expect(received.text.split(/\r?\n/)).toContain(link);
      expect(received.html).toContain('Acme &lt;Foods&gt; &amp; Sons');

      // the logs name the message and the recipient's domain, nothing personal
      const log = lines.join('');
      expect(log).toContain(sent.messageId);
      expect(log).toContain(`employer-${locale}.example`);
      expect(log).not.toContain(to);
      expect(log).not.toContain('Layla');
      expect(log).not.toContain(token);
    },
  );
});

describe('the mailer when the SMTP server is not there', () => {
  it('fails with a clear error when nothing listens', async () => {
    // a port that was just free: a server process started and stopped
    const smtp = await startTestSmtpServer();
    await smtp.stop();
    const { logger, lines } = capturedLogger();
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'no-reply@sanad.example',
      logger,
      timeouts: { connectionMs: 2_000, greetingMs: 2_000, socketMs: 2_000 },
    });
    const started = Date.now();
    const error = await mailer
      .send({ to: 'layla@employer.example', subject: 's', text: 't', html: '<p>t</p>' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    mailer.close();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'mail not sent: SMTP ESOCKET (ECONNREFUSED)',
      details: { code: 'ESOCKET', reason: 'ECONNREFUSED', recipientDomain: 'employer.example' },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.join('')).toContain('mail not sent');
    expect(lines.join('')).not.toContain('layla@');
  });

  it('gives up after its greeting timeout when the server never answers', async () => {
    const sockets: Socket[] = [];
    // accepts connections and says nothing
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const { logger } = capturedLogger();
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'no-reply@sanad.example',
      logger,
      timeouts: { connectionMs: 1_000, greetingMs: 1_000, socketMs: 1_000 },
    });
    const started = Date.now();
    try {
      await expect(
        mailer.send({ to: 'layla@employer.example', subject: 's', text: 't', html: '<p>t</p>' }),
      ).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        details: { code: 'ETIMEDOUT' },
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      mailer.close();
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
