import { z } from 'zod';
import { PublicKeyEnv } from '@sanad/auth';
import { CommonEnv, parseEnv, Port } from '@sanad/config';
import { MailFrom, SmtpUrl } from '@sanad/mail';

const Days = (fallback: number) => z.coerce.number().int().min(1).max(3_650).default(fallback);

const PlacementEnv = CommonEnv.extend({
  PORT: Port.default(4101),
  MONGO_DB: z
    .string()
    .regex(/^[\w-]+$/)
    .default('sanad_placement'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** The web app's public key (one-line Ed25519 JWK): every request's token is checked with it. */
  SERVICE_TOKEN_PUBLIC_KEY: PublicKeyEnv,
  /**
   * The check-in service's public key (one-line Ed25519 JWK): POST /internal/checkin-invitations
   * takes its peer tokens. Not set: that route answers 503 and no check-in invitation is mailed.
   */
  CHECKIN_TOKEN_PUBLIC_KEY: PublicKeyEnv.optional(),
  /** A new placement's start date: at most this many days before today... */
  START_DATE_DAYS_BEFORE: Days(365),
  /** ...and after. */
  START_DATE_DAYS_AFTER: Days(180),
  /** How long the employer's confirmation link works. */
  CONFIRM_LINK_TTL_DAYS: Days(14),
  /** How long the employer's link to report changes and the end works. */
  REPORT_LINK_TTL_DAYS: Days(180),
  /** Where the web app answers: the employer's links point there (`<url>/e/<secret>`). */
  WEB_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4100'),
  /** The SMTP server for the employer's mails; without it no link is made (and the API says so). */
  SMTP_URL: SmtpUrl.optional(),
  MAIL_FROM: MailFrom.default('Sanad <no-reply@sanad.test>'),
});

export type PlacementConfig = z.infer<typeof PlacementEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PlacementConfig =>
  parseEnv(PlacementEnv, env);
