import Ajv2020 from 'ajv/dist/2020';
import { openApiPath, PUBLIC_ROUTES, type RouteRef } from '@sanad/service-kit';
import { validateOpenApi } from '@sanad/testing';
import { placementOpenApiDocument } from '../src/http/openapi';
import { RecordPlacementBody } from '../src/http/placements.schemas';
import { publicRouteCatalogue, routeCatalogue, routes } from '../src/http/routes';

type Json = Record<string, unknown>;
const document = placementOpenApiDocument() as unknown as {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components: Json;
};

/** Every operation of the document as a route (express path syntax back from `{param}`). */
const documentedRoutes = (): RouteRef[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      method: method.toUpperCase() as RouteRef['method'],
      path: path.replace(/\{(\w+)\}/g, ':$1'),
    })),
  );
const key = (r: RouteRef) => `${r.method} ${r.path}`;

const operationOf = (route: RouteRef) =>
  document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(validateOpenApi(document)).toEqual({ valid: true });
  });

  it('the validator does reject a broken document', () => {
    const broken = structuredClone(document);
    (broken.paths['/placements']!.get as Json).responses = 'none';
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('documents every route of the catalogue, the public ones and nothing else', () => {
    expect(documentedRoutes().map(key).sort()).toEqual(
      [...PUBLIC_ROUTES, ...publicRouteCatalogue, ...routeCatalogue].map(key).sort(),
    );
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

  it('declares the service token as an EdDSA JWT bearer scheme, required by default', () => {
    expect(document.components.securitySchemes).toEqual({
      serviceToken: expect.objectContaining({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      }),
    });
    expect((document as unknown as Json).security).toEqual([{ serviceToken: [] }]);
    expect(operationOf(publicRouteCatalogue[0]!)!.security).toEqual([]);
  });

  it('documents the path parameters, query, Idempotency-Key and X-Access-Purpose headers', () => {
    const names = (route: RouteRef) =>
      (operationOf(route)!.parameters as { in: string; name: string }[]).map(
        (p) => `${p.in}:${p.name}`,
      );
    expect(names(routes.recordPlacement)).toEqual(['header:idempotency-key']);
    expect(names(routes.getPlacement)).toEqual(
      expect.arrayContaining(['path:placementId', 'header:x-access-purpose']),
    );
    expect(names(routes.listPlacements)).toEqual(
      expect.arrayContaining(['query:limit', 'query:status', 'query:programmeId']),
    );
    expect(names(routes.listAudit)).toEqual(
      expect.arrayContaining(['query:afterSeq', 'query:limit', 'query:subjectId']),
    );
  });

  it('gives the 413 to routes with a body and the error body to every refusal', () => {
    const op = operationOf(routes.recordPlacement)!;
    expect(Object.keys(op.responses as Json).sort()).toEqual(
      ['200', '201', '400', '401', '403', '404', '409', '413', '503'].sort(),
    );
    expect(document.components.schemas).toEqual(
      expect.objectContaining({ ErrorBody: expect.any(Object) }),
    );
  });

  it("the documented body of POST /placements refuses what the route's schema refuses", () => {
    expect(routes.recordPlacement.doc.body).toBe(RecordPlacementBody);
    const body = ((operationOf(routes.recordPlacement)!.requestBody as Json).content as Json)[
      'application/json'
    ] as { schema: Json };
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile({
      ...body.schema,
      components: document.components,
    });
    const good = {
      participantId: '6f1c1c1e-6b7a-4d8e-9a51-0b3f1d2c3e4f',
      employerId: '7f1c1c1e-6b7a-4d8e-9a51-0b3f1d2c3e4f',
      programmeId: '8f1c1c1e-6b7a-4d8e-9a51-0b3f1d2c3e4f',
      coachId: '9f1c1c1e-6b7a-4d8e-9a51-0b3f1d2c3e4f',
      jobTitle: 'Receptionist',
      startDate: '2026-11-01',
      hoursPerWeek: 80,
      wage: { amount: 300, currency: 'OMR', period: 'month' },
    };
    expect(RecordPlacementBody.safeParse(good).success).toBe(true);
    expect(validate(good)).toBe(true);
    for (const bad of [
      { ...good, hoursPerWeek: 81 },
      { ...good, surprise: true },
    ]) {
      expect(RecordPlacementBody.safeParse(bad).success).toBe(false);
      expect(validate(bad)).toBe(false);
    }
  });
});
