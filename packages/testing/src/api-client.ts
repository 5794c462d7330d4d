import type { Caller } from '@sanad/auth';
import { bearerFor } from './tokens';

/**
 * Calls to one service's API, each as the caller given, with the service token `bearerFor` makes
 * for `audience`; a body goes as JSON. Each call answers the status, the headers and the body
 * parsed as JSON (undefined when empty), typed as loosely as `JSON.parse` gives it: the test reads
 * what it expects.
 */
export function apiClient(baseUrl: string, audience: string) {
  const send = async (
    method: string,
    path: string,
    caller: Caller,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: await bearerFor(caller, audience),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path: string, caller: Caller, headers?: Record<string, string>) =>
      send('GET', path, caller, undefined, headers),
    post: (path: string, caller: Caller, body?: unknown, headers?: Record<string, string>) =>
      send('POST', path, caller, body, headers),
    put: (path: string, caller: Caller, body?: unknown, headers?: Record<string, string>) =>
      send('PUT', path, caller, body, headers),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
