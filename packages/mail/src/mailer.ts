import { AppError } from '@sanad/errors';
import type { Logger } from '@sanad/logger';
import nodemailer from 'nodemailer';

export interface MailMessage {
  /** One recipient address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string;
  /** What kind of mail this is, for the logs (`employer-confirmation`); never personal data. */
  kind?: string;
}

export interface SentMail {
  messageId: string;
  /** The server's last answer, such as `250 OK: queued`. */
  response: string;
}

export interface Mailer {
  /** Sends one message; throws an AppError DEPENDENCY_UNAVAILABLE when it was not accepted. */
  send(message: MailMessage): Promise<SentMail>;
  /** Connects and says hello, to check the settings at boot. */
  verify(): Promise<void>;
  /** Closes the pooled connections. */
  close(): void;
}

export interface MailerTimeouts {
  /** To open the TCP (or TLS) connection. Default 10 s. */
  connectionMs?: number;
  /** From connected to the server's greeting. Default 10 s. */
  greetingMs?: number;
  /** Of inactivity on an open connection. Default 30 s. */
  socketMs?: number;
}

export interface MailerSettings {
  /** `smtp://[user:pass@]host[:port]` or `smtps://...` (see `SmtpUrl`). */
  smtpUrl: string;
  /** The From header (see `MailFrom`). */
  from: string;
  logger: Logger;
  timeouts?: MailerTimeouts;
  /** Pooled connections kept open (default 2). */
  maxConnections?: number;
}

/** The domain of an address, the most of a recipient that may be logged. */
export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0
    ? address
        .slice(at + 1)
        .replace(/>.*$/, '')
        .toLowerCase()
    : '(none)';
}

function transportOptions(settings: MailerSettings) {
  const url = new URL(settings.smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error('smtpUrl must be an smtp:// or smtps:// URL');
  }
  const secure = url.protocol === 'smtps:';
  const { connectionMs = 10_000, greetingMs = 10_000, socketMs = 30_000 } = settings.timeouts ?? {};
  return {
    pool: true as const,
    maxConnections: settings.maxConnections ?? 2,
    maxMessages: 100,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: connectionMs,
    greetingTimeout: greetingMs,
    socketTimeout: socketMs,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
}

/**
 * A mailer over SMTP (nodemailer, pooled connections). Logs the message id, the kind and the
 * recipient's domain, never the address, the subject or the body.
 */
export function createMailer(settings: MailerSettings): Mailer {
  const transport = nodemailer.createTransport(transportOptions(settings));
  const log = settings.logger.child({ module: 'mailer' });

  return {
    async send(message) {
      const domain = recipientDomain(message.to);
      const kind = message.kind ?? 'mail';
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: message.to,
          replyTo: message.replyTo,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
        const rejected = (info.rejected ?? []).length;
        if (rejected > 0 || (info.accepted ?? []).length === 0) {
          throw Object.assign(new Error('the recipient was rejected'), { code: 'EENVELOPE' });
        }
        log.info({ messageId: info.messageId, kind, recipientDomain: domain }, 'mail sent');
        return { messageId: info.messageId, response: String(info.response ?? '') };
      } catch (error) {
        const e = error as {
          code?: string;
          originalCode?: string;
          responseCode?: number;
          command?: string;
        };
        const code = e.code ?? 'UNKNOWN';
        // The socket's own code, such as ECONNREFUSED under nodemailer's ESOCKET.
        const reason = e.originalCode;
        // The error's message may quote the address: log its codes, not its text.
        log.warn(
          {
            kind,
            recipientDomain: domain,
            code,
            reason,
            responseCode: e.responseCode,
            command: e.command,
          },
          'mail not sent',
        );
        const what = reason ? `${code} (${reason})` : code;
        throw new AppError('DEPENDENCY_UNAVAILABLE', `mail not sent: SMTP ${what}`, {
          cause: error,
          details: { code, reason, responseCode: e.responseCode, recipientDomain: domain },
        });
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'UNKNOWN';
        throw new AppError('DEPENDENCY_UNAVAILABLE', `SMTP server not usable: ${code}`, {
          cause: error,
          details: { code },
        });
      }
    },
    close() {
      transport.close();
    },
  };
}
