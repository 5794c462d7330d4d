import { createTokenVerifier, ServiceAudiences } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import { createOutboxRelay, createWriteLocks, type OutboxDocument } from '@sanad/messaging';
import { connectInfrastructure, createHttpApp, runService, serveHttp } from '@sanad/service-kit';
import { makeGetPlacement, makeListPlacements } from './application/find-placements';
import { makeRecordPlacement } from './application/record-placement';
import { loadConfig, type PlacementConfig } from './config';
import { placementRoutes } from './http/placements.routes';
import { createPlacementRepository } from './persistence/placement.repository';

/** Composition root: connections, use cases, HTTP and the outbox relay, wired by hand. */
export async function startPlacementService(config: PlacementConfig) {
  const infra = await connectInfrastructure('placement', config, [Topics.placement]);
  const { logger, db, publisher } = infra;

  const locks = createWriteLocks();
  const placements = createPlacementRepository(db);
  const relay = createOutboxRelay({
    collections: [db.collection<OutboxDocument>('placements') as never],
    publisher,
    locks,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_MS,
  });
  relay.start();
  const recordPlacement = makeRecordPlacement({
    placements,
    clock: { now: () => new Date() },
    outbox: relay,
  });

  const app = createHttpApp({
    logger,
    readiness: infra.readiness,
    verifier: createTokenVerifier(config.SERVICE_TOKEN_PUBLIC_KEY, {
      audience: ServiceAudiences.placement,
    }),
    routes: [
      placementRoutes({
        recordPlacement,
        getPlacement: makeGetPlacement({ placements }),
        listPlacements: makeListPlacements({ placements }),
      }),
    ],
  });
  const http = await serveHttp(app, config, logger);

  const stop = async () => {
    await http.close();
    await relay.stop();
    await infra.close();
  };
  return { port: http.port, app, stop, logger };
}

if (require.main === module) {
  runService('placement service', () => startPlacementService(loadConfig()));
}
