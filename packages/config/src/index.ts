import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Thrown at boot when the environment is wrong; names every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at boot, into typed config; throws one error naming every bad key.
 * A key may also be given as `<KEY>_FILE`, the path of a file holding the value (Docker secrets,
 * keys in a volume); the variable itself wins when both are set.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const resolved: Record<string, string | undefined> = { ...env };
  const problems: { key: string; message: string }[] = [];
  for (const key of Object.keys(schema.shape)) {
    const file = env[`${key}_FILE`];
    if (resolved[key] !== undefined || !file) continue;
    try {
      resolved[key] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      problems.push({
        key: `${key}_FILE`,
        message: `cannot read ${file}: ${(error as Error).message}`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const result = schema.safeParse(resolved);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      key: issue.path.join('.') || '(root)',
      message: issue.message,
    })),
  );
}

/** A comma-separated list of host:port pairs. */
export const HostPortList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'host:port')).min(1));

export const Port = z.coerce.number().int().min(0).max(65535);

/** The settings every service shares: where the servers are and how to log. */
export const CommonEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: HostPortList.default(['127.0.0.1:19092']),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash and underscore')
    .default(''),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// URL')
    .default('mongodb://127.0.0.1:27018'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// URL')
    .default('redis://127.0.0.1:16379'),
  HTTP_HOST: z.string().default('127.0.0.1'),
});
export type CommonEnv = z.infer<typeof CommonEnv>;
