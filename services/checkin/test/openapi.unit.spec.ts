import { PUBLIC_ROUTES, type RouteRef } from '@sanad/service-kit';
import { validateOpenApi } from '@sanad/testing';
import { RecordCheckinBody } from '../src/http/follow-ups.schemas';
import { publicRouteCatalogue, publicRoutes, routeCatalogue, routes } from '../src/http/routes';
import { compileSchema, document, operationOf, type Json } from './openapi-schemas';

/** Every operation of the document as a route (express path syntax back from `{param}`). */
const documentedRoutes = (): RouteRef[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      method: method.toUpperCase() as RouteRef['method'],
      path: path.replace(/\{(\w+)\}/g, ':$1'),
    })),
  );
const key = (r: RouteRef) => `${r.method} ${r.path}`;

/** Every JSON schema of every documented answer, by operation and status. */
const responseSchemas = (): [string, Json][] =>
  Object.values(document.paths).flatMap((item) =>
    Object.values(item).flatMap((op) =>
      Object.entries(op.responses as Record<string, { content?: Record<string, Json> }>).flatMap(
        ([status, response]) =>
          Object.values(response.content ?? {})
            .map((media) => media.schema as Json | undefined)
            .filter((schema): schema is Json => schema !== undefined)
            .map((schema): [string, Json] => [`${String(op.operationId)} ${status}`, schema]),
      ),
    ),
  );

const requestBodyOf = (route: RouteRef) =>
  (
    ((operationOf(route)!.requestBody as Json).content as Json)['application/json'] as {
      schema: Json;
    }
  ).schema;

const participantAnswers = {
  stability: {
    stillEmployed: true,
    hoursLastWeek: 12,
    absenceDays: 3,
    lateDays: 0,
    wageChange: 'none',
  },
  professional: { copesWithTasks: 4, supervisorRelation: 4, accommodationsInPlace: 'no' },
  social: { coworkerRelations: 3, feelsIncluded: 2, transportProblem: true, wellbeing: 2 },
  satisfaction: 2,
};

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(validateOpenApi(document)).toEqual({ valid: true });
  });

  it('the validator does reject a broken document', () => {
    const broken = structuredClone(document);
    (broken.paths['/checkins/due']!.get as Json).responses = 'none';
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('documents every route of the catalogue, the public ones and nothing else', () => {
    expect(documentedRoutes().map(key).sort()).toEqual(
      [...PUBLIC_ROUTES, ...publicRouteCatalogue, ...routeCatalogue].map(key).sort(),
    );
  });

  it('documents the answers of every route with a schema', () => {
    expect(responseSchemas().length).toBeGreaterThan(20);
  });

  it.each(responseSchemas())('%s: the answer is documented in JSON Schema 2020-12', (_, schema) => {
    expect(() => compileSchema(schema)).not.toThrow();
  });

  it.each(Object.entries(routes))('%s: summary, bearer token, errors', (id, route) => {
    const op = operationOf(route)!;
    expect(op.operationId).toBe(id);
    expect(op.summary).toEqual(expect.any(String));
    expect(op.security).toBeUndefined(); // the document-wide service token applies
    const responses = op.responses as Record<string, { content?: Json }>;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['401', '503']));
    expect(Object.keys(responses).some((s) => s.startsWith('2'))).toBe(true);
    expect(responses['401']!.content!['application/json']).toEqual({
      schema: { $ref: '#/components/schemas/ErrorBody' },
    });
  });

  it.each(Object.entries(publicRoutes))('%s: open to anyone, no 401', (id, route) => {
    const op = operationOf(route)!;
    expect(op.operationId).toBe(id);
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses as Json)).not.toContain('401');
  });

  it('documents the path parameters, query and the headers each route reads', () => {
    const names = (route: RouteRef) =>
      ((operationOf(route)!.parameters ?? []) as { in: string; name: string }[]).map(
        (p) => `${p.in}:${p.name}`,
      );
    expect(names(routes.getFollowUps).sort()).toEqual(
      ['header:x-access-purpose', 'path:placementId'].sort(),
    );
    expect(names(routes.recordCheckin).sort()).toEqual(
      ['header:idempotency-key', 'header:x-access-purpose', 'path:placementId'].sort(),
    );
    expect(names(routes.listDue).sort()).toEqual(
      ['query:coachId', 'query:limit', 'query:programmeId', 'query:respondent'].sort(),
    );
    expect(names(routes.putPolicy)).toEqual(['path:programmeId']);
    expect(names(publicRoutes.openLink)).toEqual(['header:x-link-secret']);
    expect(names(publicRoutes.answerLink).sort()).toEqual(
      ['header:idempotency-key', 'header:x-link-secret'].sort(),
    );
  });

  it('gives the link routes a 410 and the 413 to routes with a body', () => {
    expect(Object.keys(operationOf(publicRoutes.answerLink)!.responses as Json).sort()).toEqual(
      ['200', '201', '400', '404', '409', '410', '413'].sort(),
    );
    expect(Object.keys(operationOf(routes.recordCheckin)!.responses as Json).sort()).toEqual(
      ['200', '201', '400', '401', '404', '409', '413', '503'].sort(),
    );
  });

  it("the documented body of POST /placements/{placementId}/checkins refuses what the route's schema refuses", () => {
    expect(routes.recordCheckin.doc.body).toBe(RecordCheckinBody);
    const validate = compileSchema(requestBodyOf(routes.recordCheckin));
    const good = {
      checkinId: '6f1c1c1e-6b7a-4d8e-9a51-0b3f1d2c3e4f',
      contactType: 'visit',
      twoWay: true,
      answers: { stability: participantAnswers.stability },
      notes: 'Talked with the manager.',
    };
    expect(RecordCheckinBody.safeParse(good).success).toBe(true);
    expect(validate(good)).toBe(true);
    for (const bad of [
      { ...good, contactType: 'web-link' },
      { ...good, surprise: true },
      { ...good, answers: { satisfaction: 6 } },
    ]) {
      expect(RecordCheckinBody.safeParse(bad).success).toBe(false);
      expect(validate(bad)).toBe(false);
    }
  });

  it("the documented body of POST /checkin-link/answers takes a participant's or a supervisor's answers", () => {
    const validate = compileSchema(requestBodyOf(publicRoutes.answerLink));
    const supervisor = {
      attendance: 2,
      punctuality: 3,
      taskPerformance: 4,
      relations: 4,
      accommodationsWorking: 'yes',
      concern: true,
    };
    expect(validate({ answers: participantAnswers })).toBe(true);
    expect(validate({ answers: supervisor })).toBe(true);
    expect(validate({ answers: { ...supervisor, attendance: 0 } })).toBe(false);
    expect(validate({})).toBe(false);
  });
});
