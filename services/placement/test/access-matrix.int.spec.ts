import { randomUUID } from 'node:crypto';
import { ServiceAudiences } from '@sanad/auth';
import { PUBLIC_ROUTES, registeredRoutes, sortRoutes } from '@sanad/service-kit';
import {
  accessMatrixChecks,
  ADMIN_ONLY,
  bearerFor,
  dropDatabases,
  routeKey,
  SEE_OWN_ONLY,
  serviceTestEnv,
  testCaller,
  type MatrixTarget,
  type RouteAccessSpec,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { publicRouteCatalogue, routeCatalogue, routes } from '../src/http/routes';
import { startPlacementService } from '../src/main';

/** A start date inside the service's window whatever the day the test runs. */
const START = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);

/** Rules for a route that shows a participant: admins always, managers and coaches their own. */
const SEE_PARTICIPANT: RouteAccessSpec['rules'] = {
  admin: { own: 'allowed', other: 'allowed' },
  'programme-manager': { own: 'allowed', other: 'not-found' },
  coach: { own: 'allowed', other: 'not-found' },
  'employer-user': { own: 'not-found', other: 'not-found' },
};

/**
 * Acting for the data subject, or moving them to another caseload: their coach knows them (403),
 * others do not (404).
 */
const DATA_SUBJECT: RouteAccessSpec['rules'] = {
  ...SEE_PARTICIPANT,
  coach: { own: 'forbidden', other: 'not-found' },
};

/** Rules for a route that shows an employer: staff any, an employer user their own only. */
const SEE_EMPLOYER: RouteAccessSpec['rules'] = {
  admin: { own: 'allowed', other: 'allowed' },
  'programme-manager': { own: 'allowed', other: 'allowed' },
  coach: { own: 'allowed', other: 'allowed' },
  'employer-user': { own: 'allowed', other: 'not-found' },
};

/** The target's employer (its id is the scope's employerId), found by this name in lists. */
const TARGET_EMPLOYER = `Matrix Target Employer ${randomUUID()}`;

/**
 * Every route x every role x a placement (and its participant) of the caller's own organisation or
 * another's, plus every way of not being authenticated, against the real service.
 */
describe('placement service access matrix', () => {
  const env = serviceTestEnv('placement');
  let service: Awaited<ReturnType<typeof startPlacementService>>;
  let url: string;
  let target: MatrixTarget;

  const send = (
    path: string,
    authorization: string | undefined,
    init: { method?: string; body?: object } = {},
  ) =>
    fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });

  const placementBody = ({ scope, participantId }: MatrixTarget) => ({
    participantId: participantId ?? randomUUID(),
    ...scope,
    jobTitle: 'Receptionist',
    startDate: START,
    hoursPerWeek: 25,
    wage: { amount: 300, currency: 'OMR', period: 'month' },
  });

  const participantBody = ({ scope }: MatrixTarget) => ({
    fullName: 'Matrix Person',
    preferredLanguage: 'en',
    programmeId: scope.programmeId,
    coachId: scope.coachId,
    consents: { followUp: true, employerContact: true, reportingByCategory: false },
  });
  const registerAsAdmin = async (t: MatrixTarget) => {
    const res = await send('/participants', await bearerFor(testCaller('admin'), 'placement'), {
      method: 'POST',
      body: participantBody(t),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { participant: { id: string } }).participant.id;
  };

  const employerBody = (name: string) => ({
    name,
    sector: 'retail',
    region: 'muscat',
    contacts: [
      { role: 'hr', fullName: 'Matrix HR', email: 'hr@example.com', preferredLanguage: 'en' },
    ],
  });
  const asAdmin = async (path: string) => {
    const res = await send(path, await bearerFor(testCaller('admin'), 'placement'));
    return (await res.json()) as Record<string, { version: number } & Record<string, unknown>>;
  };
  /** The employer as an admin reads it, to send back unchanged (a version that is current). */
  const unchangedEmployer = async (employerId: string) => {
    const { employer } = await asAdmin(`/employers/${employerId}`);
    if (!employer) return { ...employerBody('Missing'), version: 1 };
    const { version, name, sector, region, contacts } = employer;
    return { version, name, sector, region, contacts };
  };

  /** A fresh placement in the target's scope (recorded by an admin), so that acting on it leaves
   * the target as it is for the other routes' checks. */
  const freshPlacement = async (t: MatrixTarget) => {
    const res = await send('/placements', await bearerFor(testCaller('admin'), 'placement'), {
      method: 'POST',
      body: placementBody({ ...t, participantId: randomUUID() }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { placement: { id: string } }).placement.id;
  };
  /** A lifecycle route acts on a fresh placement of the target's scope, at version 1. */
  const lifecycleSpec = (suffix: string, body: object): RouteAccessSpec => ({
    send: async (t, authorization) =>
      send(`/placements/${await freshPlacement(t)}${suffix}`, authorization, {
        method: 'POST',
        body,
      }),
    sendMissing: (authorization) =>
      send(`/placements/${randomUUID()}${suffix}`, authorization, { method: 'POST', body }),
    rules: SEE_OWN_ONLY,
  });

  const specs: Record<string, RouteAccessSpec> = {
    [routeKey(routes.registerParticipant)]: {
      send: (t, authorization) =>
        send('/participants', authorization, { method: 'POST', body: participantBody(t) }),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'forbidden' },
        coach: { own: 'allowed', other: 'forbidden' },
        'employer-user': { own: 'forbidden', other: 'forbidden' },
      },
    },
    [routeKey(routes.listParticipants)]: {
      send: (_t, authorization) => send('/participants?limit=100', authorization),
      lists: (body, t) =>
        (body as { participants: { id: string }[] }).participants.some(
          (p) => p.id === t.participantId,
        ),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'not-listed' },
        coach: { own: 'allowed', other: 'not-listed' },
        'employer-user': { own: 'not-listed', other: 'not-listed' },
      },
    },
    [routeKey(routes.getParticipant)]: {
      send: (t, authorization) => send(`/participants/${t.participantId}`, authorization),
      rules: SEE_PARTICIPANT,
    },
    [routeKey(routes.editParticipant)]: {
      // The name it has, at the version it is at: allowed or not, nothing changes.
      send: async (t, authorization) => {
        const { participant } = await asAdmin(`/participants/${t.participantId}`);
        return send(`/participants/${t.participantId}`, authorization, {
          method: 'PUT',
          body: { version: participant?.version ?? 1, fullName: 'Matrix Person' },
        });
      },
      rules: SEE_PARTICIPANT,
    },
    [routeKey(routes.changeConsents)]: {
      send: (t, authorization) =>
        send(`/participants/${t.participantId}/consents`, authorization, {
          method: 'PUT',
          body: { followUp: true },
        }),
      rules: SEE_PARTICIPANT,
    },
    [routeKey(routes.reassignCoach)]: {
      // Each request that is about the target moves a fresh participant of its scope to another
      // coach, so that the target stays on its coach's caseload for the other routes' checks.
      send: async (t, authorization) => {
        const id =
          t.participantId === target.participantId ? await registerAsAdmin(t) : t.participantId;
        return send(`/participants/${id}/coach`, authorization, {
          method: 'PUT',
          body: { coachId: randomUUID() },
        });
      },
      rules: DATA_SUBJECT,
    },
    [routeKey(routes.exportParticipant)]: {
      send: (t, authorization) => send(`/participants/${t.participantId}/export`, authorization),
      rules: DATA_SUBJECT,
    },
    [routeKey(routes.eraseParticipant)]: {
      // Each request that is about the target pseudonymises a fresh participant of its scope, so
      // that the other routes' checks keep a whole participant to look at.
      send: async (t, authorization) => {
        const id =
          t.participantId === target.participantId ? await registerAsAdmin(t) : t.participantId;
        return send(`/participants/${id}/erasure`, authorization, {
          method: 'POST',
          body: { mode: 'pseudonymise' },
        });
      },
      rules: DATA_SUBJECT,
    },
    ...Object.fromEntries(
      [routes.listAudit, routes.verifyAudit, routes.exportAudit].map((route) => [
        routeKey(route),
        {
          send: (_t: MatrixTarget, authorization: string | undefined) =>
            send(route.path, authorization),
          sendMissing: (authorization: string) => send('/no-such-route', authorization),
          rules: ADMIN_ONLY,
        } satisfies RouteAccessSpec,
      ]),
    ),
    [routeKey(routes.createEmployer)]: {
      // Creating is not seeing: a refusal names no existing employer, so it is a 403.
      send: (_t, authorization) =>
        send('/employers', authorization, {
          method: 'POST',
          body: employerBody('Matrix Employer'),
        }),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'allowed' },
        coach: { own: 'allowed', other: 'allowed' },
        'employer-user': { own: 'forbidden', other: 'forbidden' },
      },
    },
    [routeKey(routes.listEmployers)]: {
      send: (_t, authorization) =>
        send(`/employers?limit=100&q=${encodeURIComponent(TARGET_EMPLOYER)}`, authorization),
      lists: (body, t) =>
        (body as { employers: { id: string }[] }).employers.some(
          (e) => e.id === t.scope.employerId,
        ),
      rules: {
        ...SEE_EMPLOYER,
        'employer-user': { own: 'allowed', other: 'not-listed' },
      },
    },
    [routeKey(routes.getEmployer)]: {
      send: (t, authorization) => send(`/employers/${t.scope.employerId}`, authorization),
      sendMissing: (authorization) => send(`/employers/${randomUUID()}`, authorization),
      rules: SEE_EMPLOYER,
    },
    [routeKey(routes.updateEmployer)]: {
      send: async (t, authorization) =>
        send(`/employers/${t.scope.employerId}`, authorization, {
          method: 'PUT',
          body: await unchangedEmployer(t.scope.employerId),
        }),
      sendMissing: async (authorization) =>
        send(`/employers/${randomUUID()}`, authorization, {
          method: 'PUT',
          body: await unchangedEmployer(target.scope.employerId),
        }),
      rules: SEE_EMPLOYER,
    },
    [routeKey(routes.recordPlacement)]: {
      // Creating is not seeing: a refusal names no existing placement, so it is a 403.
      send: (t, authorization) =>
        send('/placements', authorization, { method: 'POST', body: placementBody(t) }),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'forbidden' },
        coach: { own: 'allowed', other: 'forbidden' },
        'employer-user': { own: 'forbidden', other: 'forbidden' },
      },
    },
    [routeKey(routes.confirmPlacement)]: lifecycleSpec('/confirmation', {
      version: 1,
      terms: {
        jobTitle: 'Receptionist',
        startDate: START,
        hoursPerWeek: 20,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      },
      accommodations: [],
    }),
    [routeKey(routes.changePlacement)]: lifecycleSpec('/changes', {
      version: 1,
      effectiveDate: START,
      hoursPerWeek: 20,
    }),
    [routeKey(routes.endPlacement)]: lifecycleSpec('/ending', {
      version: 1,
      endDate: START,
      reason: 'other',
      initiatedBy: 'other',
    }),
    [routeKey(routes.sendEmployerLink)]: {
      // An employer user sees their placement but the programme sends the links: 403.
      send: async (t, authorization) =>
        send(`/placements/${await freshPlacement(t)}/employer-link`, authorization, {
          method: 'POST',
        }),
      sendMissing: (authorization) =>
        send(`/placements/${randomUUID()}/employer-link`, authorization, { method: 'POST' }),
      rules: { ...SEE_OWN_ONLY, 'employer-user': { own: 'forbidden', other: 'not-found' } },
    },
    [routeKey(routes.getPlacement)]: {
      send: (t, authorization) => send(`/placements/${t.placementId}`, authorization),
      rules: SEE_OWN_ONLY,
    },
    [routeKey(routes.listPlacements)]: {
      send: (_t, authorization) => send('/placements?limit=100', authorization),
      lists: (body, t) =>
        (body as { placements: { id: string }[] }).placements.some((p) => p.id === t.placementId),
      rules: {
        admin: { own: 'allowed', other: 'allowed' },
        'programme-manager': { own: 'allowed', other: 'not-listed' },
        coach: { own: 'allowed', other: 'not-listed' },
        'employer-user': { own: 'allowed', other: 'not-listed' },
      },
    },
  };

  beforeAll(async () => {
    service = await startPlacementService(loadConfig(env));
    url = `http://127.0.0.1:${service.port}`;
    const employer = await send('/employers', await bearerFor(testCaller('admin'), 'placement'), {
      method: 'POST',
      body: employerBody(TARGET_EMPLOYER),
    });
    expect(employer.status).toBe(201);
    const employerId = ((await employer.json()) as { employer: { id: string } }).employer.id;
    const scope = { coachId: randomUUID(), employerId, programmeId: randomUUID() };
    const participantId = await registerAsAdmin({ placementId: '', scope });
    const res = await send('/placements', await bearerFor(testCaller('admin'), 'placement'), {
      method: 'POST',
      body: placementBody({ placementId: '', participantId, scope }),
    });
    expect(res.status).toBe(201);
    target = {
      placementId: ((await res.json()) as { placement: { id: string } }).placement.id,
      participantId,
      scope,
    };
  });
  afterAll(async () => {
    await service.stop();
    await dropDatabases([env.MONGO_DB]);
  });

  it('registers exactly the routes of its catalogues, besides the probes and /metrics', () => {
    expect(registeredRoutes(service.app)).toEqual(
      sortRoutes([...PUBLIC_ROUTES, ...publicRouteCatalogue, ...routeCatalogue]),
    );
  });

  it.each(
    accessMatrixChecks({
      catalogue: routeCatalogue,
      specs,
      audience: ServiceAudiences.placement,
      target: () => target,
    }),
  )('%s', async (_name, run) => {
    await run();
  });
});
