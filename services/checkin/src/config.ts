import { z } from 'zod';
import { PublicKeyEnv } from '@sanad/auth';
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
  /** The web app's public key (one-line Ed25519 JWK): every request's token is checked with it. */
  SERVICE_TOKEN_PUBLIC_KEY: PublicKeyEnv,
});

export type CheckinConfig = z.infer<typeof CheckinEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): CheckinConfig =>
  parseEnv(CheckinEnv, env);
