import type { Express, Request, RequestHandler, Response } from 'express';
import type { Caller, TokenVerifier } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { probeRouteRefs } from './openapi';

/** One route of a service's HTTP API, as its catalogue declares it and express registers it. */
export interface RouteRef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

/** The routes every service has and anyone may call (probes and metrics): no token needed. */
export const PUBLIC_ROUTES: readonly RouteRef[] = Object.values(probeRouteRefs);

// RFC 6750 b64token; the scheme is case-insensitive.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Requires `Authorization: Bearer <service token>` and puts the verified caller in
 * `res.locals.caller`. A missing or bad token is an UNAUTHENTICATED AppError (401 with
 * `WWW-Authenticate: Bearer`, from the error handler). The verifier holds the imported key.
 */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    res.locals.caller = await verifier.verify(bearerTokenOf(req, 'a service token'));
    next();
  };
}

/**
 * The token of `Authorization: Bearer <token>`; an UNAUTHENTICATED AppError saying what is wrong
 * when there is none (`what`: the token the route wants, for the message).
 */
export function bearerTokenOf(req: Request, what: string): string {
  const header = req.header('authorization');
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) {
    throw new AppError(
      'UNAUTHENTICATED',
      header === undefined
        ? `${what} is required (Authorization: Bearer <token>)`
        : 'the Authorization header is not "Bearer <token>"',
    );
  }
  return token;
}

/** The caller `authenticate` verified for this request; fails closed if there is none. */
export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new AppError('UNAUTHENTICATED', 'no authenticated caller');
  return caller;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle?: { stack?: LayerLike[] };
}

/**
 * Every route registered on an express app (method and path, sorted), found by walking its router
 * stack, so a test can hold the app to its declared route catalogue. Routers must be mounted at
 * the root (as `createHttpApp` does) or at a plain string path.
 */
export function registeredRoutes(app: Express): RouteRef[] {
  const found: RouteRef[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') {
            found.push({
              method: method.toUpperCase() as RouteRef['method'],
              path: prefix + String(layer.route.path),
            });
          }
        }
      } else if (layer.handle?.stack) {
        const mount =
          typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app.router as unknown as { stack: LayerLike[] }).stack, '');
  return sortRoutes(found);
}

/** Routes in a stable order, for comparing a catalogue with what is registered. */
export function sortRoutes(routes: readonly RouteRef[]): RouteRef[] {
  return [...routes]
    .map(({ method, path }) => ({ method, path }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
