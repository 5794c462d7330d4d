/**
 * The demo's mailbox (`npm start` runs it; never for production): an SMTP server on loopback that
 * keeps every mail the services send, and a page that shows them, newest first, with their links,
 * so that the employer's confirmation link can be opened on this machine. Mails are kept in
 * .local/mail/mailbox.jsonl across restarts.
 * Usage: tsx scripts/dev-mailbox.ts   (SMTP on MAILBOX_SMTP_PORT, page on MAILBOX_HTTP_PORT)
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

interface KeptMail {
  receivedAt: string;
  to: string[];
  subject: string;
  text: string;
}

const smtpPort = Number(process.env.MAILBOX_SMTP_PORT ?? 4125);
const httpPort = Number(process.env.MAILBOX_HTTP_PORT ?? 4180);
const dir = resolve(__dirname, '..', '.local', 'mail');
const file = join(dir, 'mailbox.jsonl');
mkdirSync(dir, { recursive: true });

/** A line of the file, unless it was cut short (the process stopped while writing it). */
const parsed = (line: string): KeptMail[] => {
  try {
    return [JSON.parse(line) as KeptMail];
  } catch {
    return [];
  }
};
const mails: KeptMail[] = existsSync(file)
  ? readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap(parsed)
  : [];

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value])
    .flatMap((a) => a.value.map((v) => v.address ?? ''))
    .filter(Boolean);

const smtp = new SMTPServer({
  name: 'sanad-dev-mailbox',
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  logger: false,
  size: 5 * 1024 * 1024,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        const mail: KeptMail = {
          receivedAt: new Date().toISOString(),
          to: addresses(parsed.to),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
        };
        mails.push(mail);
        appendFileSync(file, `${JSON.stringify(mail)}\n`);
        callback();
      })
      .catch((error: Error) => callback(error));
  },
});

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The text, escaped, with its loopback http links made clickable. */
const withLinks = (text: string) =>
  escape(text).replace(
    /https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/[\w\-./?=&#;%]*/g,
    (url) => `<a href="${url}">${url}</a>`,
  );

function page(): string {
  const items = [...mails]
    .reverse()
    .map(
      (m) => `<article>
  <h2>${escape(m.subject)}</h2>
  <p class="meta">to ${escape(m.to.join(', '))} · ${escape(m.receivedAt)}</p>
  <pre dir="auto">${withLinks(m.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer">
<title>Sanad demo mailbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
article{border-block-start:1px solid #999;padding-block:1rem}pre{white-space:pre-wrap}
.meta{color:#444}</style></head>
<body><main><h1>Demo mailbox</h1>
<p>Every mail Sanad sent on this machine, newest first (${mails.length}). For the demo only.</p>
${items || '<p>No mail yet.</p>'}</main></body></html>`;
}

const http = createServer((req, res) => {
  if (req.method !== 'GET' || (req.url !== '/' && req.url !== '/index.html')) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cache-control': 'no-store',
  });
  res.end(page());
});

smtp.listen(smtpPort, '127.0.0.1', () => {
  http.listen(httpPort, '127.0.0.1', () => {
    console.log(`dev mailbox: smtp://127.0.0.1:${smtpPort}, page http://127.0.0.1:${httpPort}`);
  });
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    http.close();
    smtp.close(() => process.exit(0));
  });
}
