import { AppError, type FieldProblem } from '@sanad/errors';
import { currentCorrelationId } from '@sanad/logger';

/** Why a service refused a signed link (410 LINK_REFUSED): the same reasons for every link. */
export const LINK_REFUSAL_REASONS = [
  'unknown',
  'wrong-purpose',
  'revoked',
  'expired',
  'used-up',
] as const;
export type LinkRefusalReason = (typeof LINK_REFUSAL_REASONS)[number];

/** The service refused the link: the page says why, never shows an error page. */
export class LinkRefusedError extends Error {
  constructor(readonly reason: LinkRefusalReason) {
    super(`signed link refused: ${reason}`);
    this.name = 'LinkRefusedError';
  }
}

export interface LinkRequestOptions {
  body?: unknown;
  /** The page's language: the service answers 400 messages in it. */
  locale: 'ar' | 'en';
  idempotencyKey?: string;
}

export interface LinkClient {
  /** GET a link route as the holder of `secret`. */
  get<T>(path: string, secret: string, options: LinkRequestOptions): Promise<T>;
  /** POST to a link route as the holder of `secret`. */
  post<T>(path: string, secret: string, options: LinkRequestOptions): Promise<T>;
}

interface ErrorAnswer {
  error?: {
    code?: string;
    message?: string;
    problems?: FieldProblem[];
    details?: { reason?: string; problems?: FieldProblem[] };
    reason?: string;
  };
}

const reasonOf = (answer: ErrorAnswer): LinkRefusalReason => {
  const given = answer.error?.details?.reason ?? answer.error?.reason;
  return (LINK_REFUSAL_REASONS as readonly string[]).includes(given ?? '')
    ? (given as LinkRefusalReason)
    : 'unknown';
};

/**
 * Calls a service's public signed-link routes (the placement service's employer links, the check-in
 * service's participant and supervisor links) for someone without an account. The
 * secret travels only in the `X-Link-Secret` header, never in a URL, so no server, proxy or log on
 * the way sees it in a path. Refusals come back as `LinkRefusedError` (410, and 404: a link to
 * nothing is an unknown link) or AppErrors: 400 VALIDATION_FAILED with its problems, 409
 * STALE_VERSION or CONFLICT (with the service's `reason`, if it gave one, in `details.reason`).
 */
export function createLinkClient({
  baseUrl,
  service = 'placement',
  timeoutMs = 5_000,
}: {
  baseUrl: string;
  /** The service's name, for messages in logs. */
  service?: string;
  timeoutMs?: number;
}): LinkClient {
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    secret: string,
    { body, locale, idempotencyKey }: LinkRequestOptions,
  ): Promise<T> => {
    const correlationId = currentCorrelationId();
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          'x-link-secret': secret,
          accept: 'application/json',
          'accept-language': locale,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', `${service} service unreachable`, {
        cause: error,
      });
    }
    if (res.ok) return (await res.json()) as T;
    const answer = (await res.json().catch(() => ({}))) as ErrorAnswer;
    const message = answer.error?.message ?? `${service} service answered ${res.status}`;
    switch (res.status) {
      case 400:
        throw AppError.validation(answer.error?.problems ?? answer.error?.details?.problems ?? []);
      case 404:
        throw new LinkRefusedError('unknown');
      case 410:
        throw new LinkRefusedError(reasonOf(answer));
      case 409:
        throw new AppError(
          answer.error?.code === 'STALE_VERSION' ? 'STALE_VERSION' : 'CONFLICT',
          message,
          { details: { reason: answer.error?.details?.reason ?? answer.error?.reason } },
        );
      default:
        throw new AppError('DEPENDENCY_UNAVAILABLE', message);
    }
  };
  return {
    get: (path, secret, options) => call('GET', path, secret, options),
    post: (path, secret, options) => call('POST', path, secret, options),
  };
}
