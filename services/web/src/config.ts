import { z } from 'zod';
import { PrivateKeyEnv } from '@sanad/auth';
import { CommonEnv, parseEnv, Port } from '@sanad/config';

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const ServiceUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/$/, ''));

const WebEnv = CommonEnv.extend({
  PORT: Port.default(4100),
  MONGO_DB: z
    .string()
    .regex(/^[\w-]+$/)
    .default('sanad_web'),
  /** Where people open the app; used in invitation links. */
  PUBLIC_URL: ServiceUrl.default('http://localhost:4100'),
  /** Keys in Redis start with this, so several apps (or tests) can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]*$/)
    .default('web:'),
  /** Cookies are Secure unless turned off; browsers accept Secure cookies from http://localhost. */
  COOKIE_SECURE: Flag.default(true),
  /** A session ends after this long without a request, and in any case after SESSION_MAX_HOURS. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  /** Wrong passwords in a row before an account is locked, and for how long. */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(3).max(20).default(5),
  SIGN_IN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  /** argon2id cost; the defaults are OWASP's minimum for argon2id (19 MiB, 2 passes). */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8192).default(19456),
  ARGON2_PASSES: z.coerce.number().int().min(1).default(2),
  SERVICE_TOKEN_PRIVATE_KEY: PrivateKeyEnv,
  PLACEMENT_URL: ServiceUrl.default('http://127.0.0.1:4101'),
  CHECKIN_URL: ServiceUrl.default('http://127.0.0.1:4102'),
  ALERTING_URL: ServiceUrl.default('http://127.0.0.1:4103'),
  /** First run only: creates this admin if there is no user at all (demo, first install). */
  BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12).optional(),
});

export type WebConfig = z.infer<typeof WebEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): WebConfig =>
  parseEnv(WebEnv, env);
