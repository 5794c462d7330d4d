/**
 * A failure that no retry will mend: the message goes to the dead-letter topic at once.
 * Handlers throw it for a well-formed event that the domain cannot accept.
 */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongooseServerSelectionError',
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'MaxRetriesPerRequestError',
]);

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTCONN',
]);

/**
 * True when the failure comes from a dependency being away (database, broker, Redis) rather than
 * from the message: such a message must not be dead-lettered, the consumer waits and retries.
 */
export function isTransient(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { name?: string; code?: unknown; retriable?: boolean; cause?: unknown };
    if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (e.retriable === true) return true;
    if (e.name === 'MongoServerError' && (e as { code?: unknown }).code === 11600) return true;
    current = e.cause;
  }
  return false;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}

/** MongoDB's (and FerretDB's) "duplicate key": an insert found its _id or unique key taken. */
export const DUPLICATE_KEY = 11000;

export const isDuplicateKeyError = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
