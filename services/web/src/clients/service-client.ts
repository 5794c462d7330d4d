import type { Caller, TokenSigner } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { currentCorrelationId } from '@sanad/logger';

export interface ServiceClient {
  /** GET a JSON resource as the caller; null when the service says it does not exist (404). */
  get<T>(path: string, caller: Caller): Promise<T | null>;
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
  return {
    async get<T>(path: string, caller: Caller) {
      const token = await signer.sign(caller, audience);
      const correlationId = currentCorrelationId();
      let res: Response;
      try {
        res = await fetch(`${baseUrl}${path}`, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new AppError('DEPENDENCY_UNAVAILABLE', `${audience} service unreachable`, {
          cause: error,
        });
      }
      if (res.status === 404) return null;
      if (!res.ok)
        throw new AppError('DEPENDENCY_UNAVAILABLE', `${audience} service answered ${res.status}`);
      return (await res.json()) as T;
    },
  };
}
