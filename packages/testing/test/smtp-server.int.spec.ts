import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { startTestSmtpServer, type TestSmtpServer } from '../src';

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('startTestSmtpServer', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(() => smtp?.stop());

  it('listens on 127.0.0.1 and a port of its own', async () => {
    expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
    const other = await startTestSmtpServer();
    try {
      expect(other.port).not.toBe(smtp.port);
    } finally {
      await other.stop();
    }
  });

  it('receives, parses and keeps each message, with or without AUTH', async () => {
    const plain = nodemailer.createTransport({ url: smtp.url });
    const withAuth = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      auth: { user: 'user', pass: 'secret' },
    });
    try {
      await plain.sendMail({
        from: 'Sender <sender@a.example>',
        to: ['one@b.example', 'two@c.example'],
        subject: 'Hello – مرحبا',
        text: 'plain text\nhttps://x.example/l/1?a=1&b=2\n',
        html: '<p lang="ar" dir="rtl">مرحبا <a href="https://x.example/l/1?a=1&amp;b=2">link</a></p>',
      });
      await withAuth.sendMail({ from: 'sender@a.example', to: 'three@d.example', text: 'x' });
    } finally {
      plain.close();
      withAuth.close();
    }

    const first = await smtp.waitForMessage((m) => m.to.includes('one@b.example'));
    expect(first).toMatchObject({
      envelope: { from: 'sender@a.example', to: ['one@b.example', 'two@c.example'] },
      from: 'sender@a.example',
      to: ['one@b.example', 'two@c.example'],
      subject: 'Hello – مرحبا',
      text: 'plain text\nhttps://x.example/l/1?a=1&b=2\n',
    });
    expect(first.html).toContain('href="https://x.example/l/1?a=1&amp;b=2"');
    expect(first.messageId).toMatch(/^<.+>$/);
    await smtp.waitForMessage((m) => m.envelope.to.includes('three@d.example'));
    expect((await smtp.messages()).length).toBeGreaterThanOrEqual(2);
  });

  it('fails a wait that nothing answers, after its timeout', async () => {
    await expect(smtp.waitForMessage((m) => m.subject === 'never sent', 200)).rejects.toThrow(
      /timed out after 200 ms waiting for a mail at the test SMTP server/,
    );
  });

  it('stops its process, so that the port refuses connections', async () => {
    const short = await startTestSmtpServer();
    expect(await canConnect(short.port)).toBe(true);
    await short.stop();
    expect(await canConnect(short.port)).toBe(false);
    await short.stop(); // twice is fine
  });
});
