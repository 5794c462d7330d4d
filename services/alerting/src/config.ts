import { z } from 'zod';
import { PublicKeyEnv } from '@sanad/auth';
import { CommonEnv, parseEnv, Port } from '@sanad/config';

const AlertingEnv = CommonEnv.extend({
  PORT: Port.default(4103),
  MONGO_DB: z
    .string()
    .regex(/^[\w-]+$/)
    .default('sanad_alerting'),
  /** The web app's public key (one-line Ed25519 JWK): every request's token is checked with it. */
  SERVICE_TOKEN_PUBLIC_KEY: PublicKeyEnv,
});

export type AlertingConfig = z.infer<typeof AlertingEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AlertingConfig =>
  parseEnv(AlertingEnv, env);
