import type { Caller, TokenSigner } from '@sanad/auth';
import { AppError, type FieldProblem } from '@sanad/errors';
import { currentCorrelationId } from '@sanad/logger';

export interface RequestOptions {
  body?: unknown;
  /** Why the data is read or changed (X-Access-Purpose), which the service audits. */
  purpose?: string;
  idempotencyKey?: string;
  /** The signed-in user's language (Accept-Language): the service words its 400s in it. */
  language?: 'ar' | 'en';
}

export interface ServiceClient {
  /** GET a JSON resource as the caller; null when the service says it does not exist (404). */
  get<T>(path: string, caller: Caller, options?: RequestOptions): Promise<T | null>;
  /**
   * POST or PUT as the caller. The service's refusals come back as AppErrors: 400 VALIDATION_FAILED
   * (with its problems), 403 FORBIDDEN, 404 NOT_FOUND, 409 CONFLICT.
   */
  send<T>(
    method: 'POST' | 'PUT',
    path: string,
    caller: Caller,
    options?: RequestOptions,
  ): Promise<T>;
  /** GET as the caller, the answer unread (to pass a large body on as it comes). */
  open(path: string, caller: Caller, options?: RequestOptions): Promise<Response>;
}

/**
 * Calls one service as the signed-in user: a fresh one-minute token for that service's audience,
 * the correlation id passed on, and a time limit. The service decides what the caller may see.
 */
export function createServiceClient({
  baseUrl,
  audience,
  signer,
  timeoutMs = 5_000,
}: {
  baseUrl: string;
  audience: string;
  signer: TokenSigner;
  timeoutMs?: number;
}): ServiceClient {
  const call = async (
    method: string,
    path: string,
    caller: Caller,
    { body, purpose, idempotencyKey, language }: RequestOptions = {},
    timeout = timeoutMs,
  ) => {
    const token = await signer.sign(caller, audience);
    const correlationId = currentCorrelationId();
    try {
      return await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
          ...(purpose ? { 'x-access-purpose': purpose } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          ...(language ? { 'accept-language': language } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', `${audience} service unreachable`, {
        cause: error,
      });
    }
  };

  const refusal = async (res: Response): Promise<AppError> => {
    const answer = (await res.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; problems?: FieldProblem[]; reason?: string };
    };
    const message = answer.error?.message ?? `${audience} service answered ${res.status}`;
    switch (res.status) {
      case 400:
        return AppError.validation(answer.error?.problems ?? []);
      case 403:
        return new AppError('FORBIDDEN', message);
      case 404:
        return new AppError('NOT_FOUND', message);
      case 409:
        // which conflict (STALE_VERSION, or a CONFLICT's reason such as 'already-completed'), for
        // pages that say more than "it changed meanwhile"
        return new AppError('CONFLICT', message, {
          details: { serviceCode: answer.error?.code, reason: answer.error?.reason },
        });
      default:
        return new AppError('DEPENDENCY_UNAVAILABLE', message);
    }
  };

  return {
    async get<T>(path: string, caller: Caller, options?: RequestOptions) {
      const res = await call('GET', path, caller, options);
      if (res.status === 404) return null;
      if (!res.ok) throw await refusal(res);
      return (await res.json()) as T;
    },
    async send<T>(method: 'POST' | 'PUT', path: string, caller: Caller, options?: RequestOptions) {
      const res = await call(method, path, caller, options);
      if (!res.ok) throw await refusal(res);
      return (await res.json()) as T;
    },
    async open(path, caller, options) {
      const res = await call('GET', path, caller, options, 120_000);
      if (!res.ok) throw await refusal(res);
      return res;
    },
  };
}
