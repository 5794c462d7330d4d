import { z } from 'zod';
import { CommonEnv, parseEnv, Port } from '@sanad/config';

const AlertingEnv = CommonEnv.extend({
  PORT: Port.default(4103),
  MONGO_DB: z
    .string()
    .regex(/^[\w-]+$/)
    .default('sanad_alerting'),
});

export type AlertingConfig = z.infer<typeof AlertingEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AlertingConfig =>
  parseEnv(AlertingEnv, env);
