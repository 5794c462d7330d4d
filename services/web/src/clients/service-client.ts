import type { Caller, TokenSigner } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { currentCorrelationId } from '@sanad/logger';

export interface ServiceClient {
  /** GET a JSON resource as the caller; null when the service says it does not exist (404). */
  get<T>(path: string, caller: Caller): Promise<T | null>;
  /** GET as the caller, the answer unread (to pass a large body on as it comes). */
  open(path: string, caller: Caller): Promise<Response>;
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
  const open = async (path: string, caller: Caller, timeout = timeoutMs) => {
    const token = await signer.sign(caller, audience);
    const correlationId = currentCorrelationId();
    try {
      return await fetch(`${baseUrl}${path}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
        },
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', `${audience} service unreachable`, {
        cause: error,
      });
    }
  };
  return {
    open: async (path, caller) => {
      const res = await open(path, caller, 120_000);
      if (!res.ok) {
        throw new AppError('DEPENDENCY_UNAVAILABLE', `${audience} service answered ${res.status}`);
      }
      return res;
    },
    async get<T>(path: string, caller: Caller) {
      const res = await open(path, caller);
      if (res.status === 404) return null;
      if (!res.ok)
        throw new AppError('DEPENDENCY_UNAVAILABLE', `${audience} service answered ${res.status}`);
      return (await res.json()) as T;
    },
  };
}
