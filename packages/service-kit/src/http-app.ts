import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { TokenVerifier } from '@sanad/auth';
import { withCorrelationId, type Logger } from '@sanad/logger';
import { authenticate } from './authenticate';
import { errorHandler, notFoundHandler } from './error-handler';
import { httpMetrics, metricsHandler } from './metrics';

export type ReadinessCheck = () => Promise<void>;

export interface HttpAppSettings {
  logger: Logger;
  /** Named checks of the dependencies; /readyz answers 200 only when all pass. */
  readiness: Record<string, ReadinessCheck>;
  /**
   * Checks the service token on every request but the probes and /metrics (PUBLIC_ROUTES); the
   * verifier is made once, with the service's own audience and the imported public key.
   */
  verifier: TokenVerifier;
  routes: Router[];
  /**
   * Routes of the service that anyone may call, like its /openapi.json: registered before the
   * token check, and listed in the service's public catalogue.
   */
  publicRoutes?: Router[];
  /** Largest JSON body accepted; larger answers 413. */
  bodyLimit?: string;
}

const CORRELATION_HEADER = 'x-correlation-id';

/** Takes the caller's x-correlation-id (if well-formed) or makes one; every log line carries it. */
export function correlationIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.header(CORRELATION_HEADER);
    const correlationId = given && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    res.locals.correlationId = correlationId;
    withCorrelationId(correlationId, next);
  };
}

/** GET /healthz (alive), /readyz (200 only when every dependency answers) and /metrics. */
export function probeRoutes(readiness: Record<string, ReadinessCheck>): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `down: ${(error as Error).message}`.slice(0, 200)] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  router.get('/metrics', metricsHandler);
  return router;
}

/** An express app with what every service needs around its own routes. */
export function createHttpApp({
  logger,
  readiness,
  verifier,
  routes,
  publicRoutes = [],
  bodyLimit = '64kb',
}: HttpAppSettings): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(correlationIds());
  app.use(httpMetrics());
  app.use(probeRoutes(readiness));
  for (const router of publicRoutes) app.use(router);

  // Everything registered after this line needs a token: no body is even parsed without one.
  app.use(authenticate(verifier));
  app.use(express.json({ limit: bodyLimit, strict: true }));
  for (const router of routes) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
