import type { Caller } from '@sanad/auth';
import { openApiPath, registeredRoutes, type RouteRef } from '@sanad/service-kit';
import { createLinkRepository, issueLink } from '@sanad/signed-links';
import { callerFor, targetOf, testCaller, waitFor } from '@sanad/testing';
import { addDays } from '../src/domain/follow-up-plan';
import { checkinOpenApiDocument } from '../src/http/openapi';
import { publicRoutes, routes } from '../src/http/routes';
import { compileSchema, responseSchemaOf } from './openapi-schemas';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const daysAgo = (n: number) => addDays(new Date().toISOString().slice(0, 10), -n);

/**
 * GET /openapi.json on the real service: public, describing exactly what the app serves, and
 * describing truly what its routes answer (real answers checked against the documented schemas,
 * which name every field: one the document does not know fails).
 */
describe('GET /openapi.json', () => {
  const admin = testCaller('admin');
  let checkin: RunningCheckin;

  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  /** The answer matches the schema documented for the route and its status. */
  const expectDocumented = (route: RouteRef, answer: { status: number; body: unknown }) => {
    const schema = responseSchemaOf(route, answer.status);
    expect(schema).toBeDefined();
    const validate = compileSchema(schema!);
    const valid = validate(answer.body);
    expect(valid ? [] : validate.errors).toEqual([]);
  };

  it('answers the OpenAPI 3.1 document without a token', async () => {
    const res = await fetch(`${checkin.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { openapi: string };
    expect(body.openapi).toBe('3.1.0');
    expect(body).toEqual(JSON.parse(JSON.stringify(checkinOpenApiDocument())));
  });

  it('ignores a bad token there, while the documented API still asks for one', async () => {
    const bad = { authorization: 'Bearer not-a-token' };
    expect((await fetch(`${checkin.url}/openapi.json`, { headers: bad })).status).toBe(200);
    expect((await fetch(`${checkin.url}/checkins/due`)).status).toBe(401);
  });

  it('documents every route the app registers, and only those', async () => {
    const body = (await (await fetch(`${checkin.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(body.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = registeredRoutes(checkin.service.app)
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    expect(documented).toEqual(served);
  });

  it('the answers of real calls are as documented', async () => {
    const { api } = checkin;
    const { recorded } = await checkin.follow({ startDate: daysAgo(20) });
    const placementId = recorded.key;
    const { scope } = targetOf(recorded);
    const coach: Caller = callerFor('coach', 'own', scope);
    const plan = await waitFor(
      async () => {
        const p = await checkin.followUps(placementId);
        return p?.checkins.some((c) => c.milestoneDay === 14 && c.status === 'due') ? p : undefined;
      },
      { what: 'day 14 due' },
    );
    const due = (respondent: string) =>
      plan.checkins.find((c) => c.milestoneDay === 14 && c.respondent === respondent)!;

    const stability = {
      stillEmployed: true,
      hoursLastWeek: 12,
      absenceDays: 0,
      lateDays: 0,
      wageChange: 'none',
    };
    const visit = {
      checkinId: due('coach').checkinId,
      contactType: 'visit',
      twoWay: true,
      answers: { stability },
      notes: 'Met at the workplace.',
    };
    const path = `/placements/${placementId}/checkins`;
    const headers = { 'idempotency-key': 'openapi-visit-0001' };
    const created = await api.post(path, coach, visit, headers);
    expect(created.status).toBe(201);
    expectDocumented(routes.recordCheckin, created);
    const replayed = await api.post(path, coach, visit, headers);
    expect(replayed.status).toBe(200);
    expectDocumented(routes.recordCheckin, replayed);

    const { record, secret } = issueLink(
      {
        placementId,
        purpose: 'participant-checkin',
        subjectId: due('participant').checkinId,
        ttlDays: 7,
        maxUses: 1,
      },
      new Date(),
    );
    await createLinkRepository(checkin.db).save(record);
    const opened = await fetch(`${checkin.url}/checkin-link`, {
      headers: { 'x-link-secret': secret },
    });
    expectDocumented(publicRoutes.openLink, { status: opened.status, body: await opened.json() });
    const answered = await fetch(`${checkin.url}/checkin-link/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-link-secret': secret },
      body: JSON.stringify({
        answers: {
          stability,
          professional: { copesWithTasks: 4, supervisorRelation: 4, accommodationsInPlace: 'yes' },
          social: { coworkerRelations: 4, feelsIncluded: 4, transportProblem: false, wellbeing: 4 },
          satisfaction: 4,
        },
      }),
    });
    expect(answered.status).toBe(201);
    expectDocumented(publicRoutes.answerLink, { status: 201, body: await answered.json() });

    const followUps = await api.get(`/placements/${placementId}/follow-ups`, coach);
    expect(followUps.status).toBe(200);
    expect((followUps.body as { records: unknown[] }).records).toHaveLength(2);
    expectDocumented(routes.getFollowUps, followUps);

    const tasks = await api.get(`/checkins/due?programmeId=${scope.programmeId}`, admin);
    expect(tasks.status).toBe(200);
    expect((tasks.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expectDocumented(routes.listDue, tasks);

    const policyPath = `/programmes/${scope.programmeId}/follow-up-policy`;
    const policy = await api.get(policyPath, admin);
    expect(policy.status).toBe(200);
    expectDocumented(routes.getPolicy, policy);
    const { programmeId: _, updatedAt: __, ...rules } = policy.body as Record<string, unknown>;
    const saved = await api.put(policyPath, admin, { ...rules, graceDays: 10 });
    expect(saved.status).toBe(200);
    expectDocumented(routes.putPolicy, saved);
    expectDocumented(routes.getPolicy, await api.get(policyPath, admin));

    const report = await api.post('/follow-ups/reconcile', admin);
    expect(report.status).toBe(200);
    expectDocumented(routes.reconcile, report);
  });
});
