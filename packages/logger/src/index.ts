import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

interface LogContext {
  correlationId: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with a correlation id that every log line written inside it carries. */
export function withCorrelationId<T>(correlationId: string | undefined, fn: () => T): T {
  return context.run({ correlationId: correlationId || randomUUID() }, fn);
}

/** The correlation id of the work in progress, to pass on to the next service. */
export const currentCorrelationId = (): string | undefined => context.getStore()?.correlationId;

/**
 * Fields that may hold personal data. They are censored wherever they appear in a log object,
 * as a second line of defence: code should not log them in the first place.
 */
export const REDACTED_PATHS = [
  'name',
  'fullName',
  'firstName',
  'lastName',
  'email',
  'phone',
  'address',
  'password',
  'token',
  'diagnosis',
  'disabilityCategory',
  'notes',
  'authorization',
  'cookie',
  '*.name',
  '*.fullName',
  '*.email',
  '*.phone',
  '*.address',
  '*.password',
  '*.token',
  '*.diagnosis',
  '*.disabilityCategory',
  '*.notes',
  'req.headers.authorization',
  'req.headers.cookie',
  // an employer link's secret opens a placement's form: it travels in this header, never in logs
  'headers["x-link-secret"]',
  'req.headers["x-link-secret"]',
];

export interface LoggerSettings {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

/** The service's root logger: JSON lines, correlationId on every line, personal fields censored. */
export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const store = context.getStore();
      return store ? { correlationId: store.correlationId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** One child logger per module: `moduleLogger(root, 'outbox-relay')`. */
export function moduleLogger(root: Logger, module: string): Logger {
  return root.child({ module });
}
