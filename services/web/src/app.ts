import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '@sanad/logger';
import { correlationIds, httpMetrics, probeRoutes, type ReadinessCheck } from '@sanad/service-kit';
import { errorPages, notFoundPage } from './http/error-pages';
import { configureViews, localeMiddleware, staticAssets } from './http/views';

export interface WebAppSettings {
  logger: Logger;
  readiness: Record<string, ReadinessCheck>;
  /** Finds the signed-in user (before the language is chosen: their saved language counts). */
  loadIdentity: express.RequestHandler;
  /** Checks every POST's CSRF token (after the body is parsed). */
  csrf: express.RequestHandler;
  routes: Router[];
  https: boolean;
}

/**
 * The web app's express: secure headers with a strict Content-Security-Policy (no inline script or
 * style anywhere), small bodies, static assets, identity and CSRF, pages in the user's language.
 */
export function createWebApp({
  logger,
  readiness,
  loadIdentity,
  csrf,
  routes,
  https,
}: WebAppSettings): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  configureViews(app);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: https,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    next();
  });
  app.use(correlationIds());
  app.use(httpMetrics());
  app.use(probeRoutes(readiness));
  app.use('/static', staticAssets());

  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store'); // pages hold personal data: never cached
    next();
  });
  app.use(loadIdentity);
  app.use(localeMiddleware());
  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
  app.use(csrf);
  for (const router of routes) app.use(router);
  app.use(notFoundPage);
  app.use(errorPages(logger));
  return app;
}
