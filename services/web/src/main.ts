import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { createAuditLog } from '@sanad/audit';
import { createTokenSigner } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { createLogger } from '@sanad/logger';
import { mongoReady, redisReady, runService, serveHttp } from '@sanad/service-kit';
import { createWebApp } from './app';
import {
  makeAcceptInvitation,
  makeCheckInvitation,
  makeInviteUser,
} from './application/invitations';
import { makeChangeUser, makeViewUser } from './application/manage-users';
import { makeSignIn } from './application/sign-in';
import { createServiceClient } from './clients/service-client';
import { createLinkClient } from './clients/link-client';
import { loadConfig, type WebConfig } from './config';
import { accountRoutes } from './http/account.routes';
import { localAuditSource, remoteAuditSource } from './application/audit-sources';
import { adminAuditRoutes } from './http/admin-audit.routes';
import { adminProgrammeRoutes } from './http/admin-programmes.routes';
import { adminUserRoutes } from './http/admin-users.routes';
import { authRoutes } from './http/auth.routes';
import { designSystemRoutes } from './http/design-system.routes';
import { employerLinkRoutes } from './http/employer-link.routes';
import { checkinLinkRoutes } from './http/checkin-link.routes';
import { checkinPageRoutes } from './http/checkins-pages.routes';
import { followUpPolicyRoutes } from './http/follow-up-policy.routes';
import { homeRoutes } from './http/home.routes';
import { csrfProtection, loadIdentity } from './http/identity.middleware';
import { languageRoutes } from './http/language.routes';
import { participantRoutes } from './http/participants.routes';
import { placementFormRoutes } from './http/placement-forms.routes';
import { participantEditRoutes } from './http/participant-edit.routes';
import { placementPageRoutes } from './http/placements-pages.routes';
import { employerRoutes } from './http/employers.routes';
import { createCsrfTokens } from './identity/csrf';
import { createPasswordHasher } from './identity/passwords';
import { createSessionStore } from './identity/sessions';
import { createSignInThrottle } from './identity/sign-in-throttle';
import { createProgrammeRepository } from './persistence/programmes.repository';
import { createUserRepository } from './persistence/users.repository';

/** Composition root of the web app: connections, identity, use cases, pages. */
export async function startWebApp(config: WebConfig) {
  const logger = createLogger({ service: 'web', level: config.LOG_LEVEL });
  const db = await mongoose
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();

  const clock = { now: () => new Date() };
  const users = createUserRepository(db);
  await users.ensureIndexes();
  const programmes = createProgrammeRepository(db);
  const audit = createAuditLog(db, { service: 'web' });
  await audit.ensureIndexes();
  const passwords = createPasswordHasher({
    memoryKiB: config.ARGON2_MEMORY_KIB,
    passes: config.ARGON2_PASSES,
  });
  const sessions = createSessionStore(redis, {
    prefix: config.REDIS_KEY_PREFIX,
    idleSeconds: config.SESSION_IDLE_MINUTES * 60,
    maxSeconds: config.SESSION_MAX_HOURS * 3600,
  });
  const throttle = createSignInThrottle(redis, {
    prefix: config.REDIS_KEY_PREFIX,
    maxFailures: config.SIGN_IN_MAX_FAILURES,
    lockMinutes: config.SIGN_IN_LOCK_MINUTES,
  });
  const signer = createTokenSigner(config.SERVICE_TOKEN_PRIVATE_KEY);
  const placementClient = createServiceClient({
    baseUrl: config.PLACEMENT_URL,
    audience: 'placement',
    signer,
  });
  const checkinClient = createServiceClient({
    baseUrl: config.CHECKIN_URL,
    audience: 'checkin',
    signer,
  });

  await bootstrapAdmin(config, users, passwords, logger);

  const secureCookies = config.COOKIE_SECURE;
  const app = createWebApp({
    logger,
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
    loadIdentity: loadIdentity({ sessions, users }),
    csrf: csrfProtection({
      csrf: createCsrfTokens(config.SERVICE_TOKEN_PRIVATE_KEY),
      secureCookies,
    }),
    https: config.PUBLIC_URL.startsWith('https:'),
    routes: [
      authRoutes({
        signIn: makeSignIn({ users, passwords, throttle, audit }),
        checkInvitation: makeCheckInvitation({ users, clock }),
        acceptInvitation: makeAcceptInvitation({ users, clock, passwords }),
        sessions,
        users,
        secureCookies,
        sessionMaxMs: config.SESSION_MAX_HOURS * 3_600_000,
      }),
      languageRoutes({ users, secureCookies }),
      homeRoutes({ placements: placementClient, logger }),
      // before other /placements pages: an employer user may open these (others' may be staff-only)
      employerLinkRoutes({ links: createLinkClient({ baseUrl: config.PLACEMENT_URL }) }),
      checkinLinkRoutes({
        links: createLinkClient({ baseUrl: config.CHECKIN_URL, service: 'checkin' }),
      }),
      placementFormRoutes({ placements: placementClient }),
      participantRoutes({ placements: placementClient, users, programmes }),
      participantEditRoutes({ placements: placementClient }),
      placementPageRoutes({
        placements: placementClient,
        users,
        programmes,
        checkins: checkinClient,
      }),
      checkinPageRoutes({ checkins: checkinClient, placements: placementClient }),
      employerRoutes({ placements: placementClient }),
      accountRoutes(),
      adminUserRoutes({
        users,
        programmes,
        inviteUser: makeInviteUser({ users, clock, ttlDays: config.INVITATION_TTL_DAYS, audit }),
        changeUser: makeChangeUser({ users, sessions, clock, audit }),
        viewUser: makeViewUser({ users, audit }),
        publicUrl: config.PUBLIC_URL,
        placements: placementClient,
      }),
      adminProgrammeRoutes({ programmes }),
      followUpPolicyRoutes({ checkins: checkinClient, programmes }),
      adminAuditRoutes({
        sources: [
          localAuditSource('web', audit),
          remoteAuditSource('placement', placementClient),
          remoteAuditSource('checkin', checkinClient),
        ],
      }),
      designSystemRoutes(),
    ],
  });
  const http = await serveHttp(app, config, logger);

  const stop = async () => {
    await http.close();
    await redis.quit();
    await db.close();
  };
  return { port: http.port, app, stop, logger };
}

/** First start only: an admin from the environment, so someone can sign in and invite the rest. */
async function bootstrapAdmin(
  config: WebConfig,
  users: ReturnType<typeof createUserRepository>,
  passwords: ReturnType<typeof createPasswordHasher>,
  logger: ReturnType<typeof createLogger>,
) {
  const { BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = config;
  if (!email || !password || (await users.count()) > 0) return;
  const now = new Date();
  const created = users.insert({
    id: randomUUID(),
    email,
    displayName: 'Administrator',
    role: 'admin',
    programmeIds: [],
    employerId: null,
    locale: 'ar',
    status: 'active',
    passwordHash: await passwords.hash(password),
    invitation: null,
    createdAt: now,
    updatedAt: now,
  });
  // another instance starting at the same moment may have made it: the unique email decides
  await created.then(
    () => logger.info('first admin created from BOOTSTRAP_ADMIN_EMAIL'),
    (error: unknown) => {
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
    },
  );
}

if (require.main === module) {
  runService('web app', () => startWebApp(loadConfig()));
}
