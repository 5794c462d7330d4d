import { randomInt } from 'node:crypto';
import { createAuditLog } from '@sanad/audit';
import { createPeerTokenVerifier, createTokenVerifier, ServiceAudiences } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import { createOutboxRelay, createWriteLocks, type OutboxDocument } from '@sanad/messaging';
import {
  auditRoutes,
  connectInfrastructure,
  createHttpApp,
  openApiRoutes,
  runService,
  serveHttp,
} from '@sanad/service-kit';
import { createMailer } from '@sanad/mail';
import { createLinkRepository } from '@sanad/signed-links';
import { makeChangeConsents } from './application/change-consents';
import { makeSendCheckinInvitation } from './application/checkin-invitations';
import { makeEmployerLinks } from './application/employer-links';
import { makeEditParticipant } from './application/edit-participant';
import { makeEraseParticipant } from './application/erase-participant';
import { makeExportParticipant } from './application/export-participant';
import { makeGetParticipant, makeListParticipants } from './application/find-participants';
import { makeGetPlacement, makeListPlacements } from './application/find-placements';
import {
  makeCreateEmployer,
  makeGetEmployer,
  makeListEmployers,
  makeUpdateEmployer,
} from './application/manage-employers';
import { makePlacementLifecycle } from './application/placement-lifecycle';
import { makeReassignCoach } from './application/reassign-coach';
import { makeRecordPlacement } from './application/record-placement';
import { makeRegisterParticipant } from './application/register-participant';
import { loadConfig, type PlacementConfig } from './config';
import { participantCode } from './domain/participant-code';
import { employerLinkRoutes } from './http/employer-link.routes';
import { employerRouter } from './http/employers.routes';
import { internalInvitationRoutes } from './http/internal-invitations.routes';
import { placementOpenApiDocument } from './http/openapi';
import { participantRoutes } from './http/participants.routes';
import { placementRoutes } from './http/placements.routes';
import {
  createPlacementOutboxForwarder,
  PLACEMENTS_COLLECTION,
} from './messaging/placement-outbox.forwarder';
import { createAuditTrail } from './persistence/audit-trail';
import { createEmployerRepository } from './persistence/employer.repository';
import { PARTICIPANTS_COLLECTION } from './persistence/participant.model';
import { createParticipantRepository } from './persistence/participant.repository';
import { createPlacementRepository } from './persistence/placement.repository';

/** Composition root: connections, use cases, HTTP and the outbox relays, wired by hand. */
export async function startPlacementService(config: PlacementConfig) {
  const infra = await connectInfrastructure('placement', config, [Topics.placement]);
  const { logger, db, publisher } = infra;
  const clock = { now: () => new Date() };
  const newCode = () => participantCode(randomInt);

  const locks = createWriteLocks();
  const placements = createPlacementRepository(db, locks);
  const participants = createParticipantRepository(db, locks);
  await participants.ensureIndexes();
  const employers = createEmployerRepository(db, locks);
  await employers.ensureIndexes();
  const auditLog = createAuditLog(db, { service: 'placement' });
  await auditLog.ensureIndexes();
  const audit = createAuditTrail(auditLog, logger);

  // Placements' events go to the broker; participants' events (placement.consent-changed, and
  // placement.changed for a new coach) go first into the outbox of their placement, so that each
  // placement's events leave in order.
  const relay = createOutboxRelay({
    collections: [db.collection<OutboxDocument>(PLACEMENTS_COLLECTION) as never],
    publisher,
    locks,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_MS,
  });
  const fanOut = createOutboxRelay({
    collections: [db.collection<OutboxDocument>(PARTICIPANTS_COLLECTION) as never],
    publisher: createPlacementOutboxForwarder({
      db,
      locks,
      // named, each placement is read by id rather than the whole collection looked through
      onForwarded: (ids) =>
        ids.forEach((id) => relay.nudge({ collection: PLACEMENTS_COLLECTION, id })),
    }),
    locks,
    logger: logger.child({ relay: 'participants' }),
    pollIntervalMs: config.OUTBOX_POLL_MS,
  });
  relay.start();
  fanOut.start();

  const mailer = config.SMTP_URL
    ? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger })
    : null;
  if (!mailer) logger.warn('SMTP_URL not set: employer links and check-ins will not be mailed');
  if (!config.CHECKIN_TOKEN_PUBLIC_KEY) {
    logger.warn('CHECKIN_TOKEN_PUBLIC_KEY not set: check-in invitations are refused (503)');
  }
  const startDateWindow = {
    daysBefore: config.START_DATE_DAYS_BEFORE,
    daysAfter: config.START_DATE_DAYS_AFTER,
  };
  const links = createLinkRepository(db);
  await links.ensureIndexes();
  const employerLinks = makeEmployerLinks({
    links,
    employers,
    placements,
    participants,
    audit,
    locks,
    mailer,
    clock,
    settings: {
      webBaseUrl: config.WEB_BASE_URL,
      confirmTtlDays: config.CONFIRM_LINK_TTL_DAYS,
      reportTtlDays: config.REPORT_LINK_TTL_DAYS,
    },
    logger,
  });
  const lifecycle = makePlacementLifecycle({
    placements,
    employers,
    employerLinks,
    audit,
    clock,
    outbox: relay,
    startDateWindow,
  });

  const app = createHttpApp({
    logger,
    readiness: infra.readiness,
    verifier: createTokenVerifier(config.SERVICE_TOKEN_PUBLIC_KEY, {
      audience: ServiceAudiences.placement,
    }),
    publicRoutes: [
      openApiRoutes(placementOpenApiDocument()),
      employerLinkRoutes({ employerLinks, lifecycle }),
      internalInvitationRoutes({
        // the check-in service's own key, not the web app's: a user's token is refused there
        verifier: config.CHECKIN_TOKEN_PUBLIC_KEY
          ? createPeerTokenVerifier(config.CHECKIN_TOKEN_PUBLIC_KEY, {
              issuer: 'sanad-checkin',
              audience: ServiceAudiences.placement,
            })
          : null,
        sendCheckinInvitation: makeSendCheckinInvitation({
          placements,
          participants,
          employers,
          mailer,
          audit: auditLog,
          logger,
        }),
      }),
    ],
    routes: [
      placementRoutes({
        recordPlacement: makeRecordPlacement({
          placements,
          participants,
          employers,
          employerLinks,
          clock,
          outbox: relay,
          startDateWindow,
        }),
        getPlacement: makeGetPlacement({ placements, audit }),
        listPlacements: makeListPlacements({ placements }),
        lifecycle,
        resendEmployerLink: employerLinks.resend,
      }),
      participantRoutes({
        registerParticipant: makeRegisterParticipant({ participants, audit, clock, newCode }),
        getParticipant: makeGetParticipant({ participants, audit }),
        editParticipant: makeEditParticipant({ participants, audit, clock }),
        listParticipants: makeListParticipants({ participants }),
        changeConsents: makeChangeConsents({ participants, placements, audit, clock, fanOut }),
        reassignCoach: makeReassignCoach({ participants, placements, audit, clock, fanOut }),
        exportParticipant: makeExportParticipant({ participants, placements, audit, clock }),
        eraseParticipant: makeEraseParticipant({
          participants,
          placements,
          audit,
          clock,
          newCode,
          fanOut,
        }),
      }),
      employerRouter({
        createEmployer: makeCreateEmployer({ employers, audit, clock }),
        getEmployer: makeGetEmployer({ employers, audit }),
        listEmployers: makeListEmployers({ employers }),
        updateEmployer: makeUpdateEmployer({ employers, audit, clock }),
      }),
      auditRoutes(auditLog),
    ],
  });
  const http = await serveHttp(app, config, logger);

  const stop = async () => {
    await http.close();
    await fanOut.stop();
    await relay.stop();
    mailer?.close();
    await infra.close();
  };
  return { port: http.port, app, stop, logger, db };
}

if (require.main === module) {
  runService('placement service', () => startPlacementService(loadConfig()));
}
