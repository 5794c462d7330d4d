import { z } from 'zod';

/** `smtp://[user:pass@]host[:port]` (STARTTLS when offered) or `smtps://...` (TLS from the start). */
export const SmtpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'an smtp:// or smtps:// URL with a host');

/** `no-reply@example.org` or `Sanad <no-reply@example.org>`. */
export const MailFrom = z
  .string()
  .trim()
  .regex(
    /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
    'an address such as no-reply@example.org or "Sanad <no-reply@example.org>"',
  );

/** The mail settings of a service's environment; merge into its env schema with `.extend(MailEnv.shape)`. */
export const MailEnv = z.object({
  SMTP_URL: SmtpUrl,
  MAIL_FROM: MailFrom,
});
export type MailEnv = z.infer<typeof MailEnv>;
