import { z } from 'zod';
import { PrivateKeyEnv, PublicKeyEnv } from '@sanad/auth';
import { CommonEnv, parseEnv, Port } from '@sanad/config';

const CheckinEnv = CommonEnv.extend({
  PORT: Port.default(4102),
  MONGO_DB: z
    .string()
    .regex(/^[\w-]+$/)
    .default('sanad_checkin'),
  /** Prefix of the BullMQ keys in Redis; tests give each run its own. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('sanad'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** How often plans are compared with the jobs in Redis, which are made again if lost (10 min). */
  RECONCILE_EVERY_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  /** The web app's public key (one-line Ed25519 JWK): every request's token is checked with it. */
  SERVICE_TOKEN_PUBLIC_KEY: PublicKeyEnv,
  /**
   * This service's own private key (one-line Ed25519 JWK): it signs the requests that ask the
   * placement service, which alone holds addresses, to mail check-in invitations. Not set: no
   * invitation is sent, and the check-in records why ('mail-not-configured').
   */
  CHECKIN_TOKEN_PRIVATE_KEY: PrivateKeyEnv.optional(),
  /** Where the placement service answers (it mails the invitations). */
  PLACEMENT_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4101'),
  /** Where the web app answers: the check-in links point there (`<url>/c/<secret>?lang=..`). */
  WEB_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4100'),
  /** A check-in link works until the check-in is missed, plus these days. */
  CHECKIN_LINK_EXTRA_DAYS: z.coerce.number().int().min(1).max(60).default(7),
});

export type CheckinConfig = z.infer<typeof CheckinEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): CheckinConfig =>
  parseEnv(CheckinEnv, env);
