import { Router } from 'express';
import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { AuditPurpose } from '@sanad/audit';
import type { RouteRef } from './authenticate';
import { ErrorBody } from './error-handler';

/** The error answers a route may give besides those every route gives (400, 401, 413, 503). */
export type DocumentedError = 403 | 404 | 409 | 410;

/** One answer of a route: what it means and, for a body, its schema (JSON unless said). */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** `application/json` if not said. */
  contentType?: string;
  /** Sent as a file to download (`Content-Disposition: attachment`). */
  attachment?: boolean;
}

/**
 * What the OpenAPI document says of a route, next to the route in its catalogue. The schemas are
 * the ones the route parses its input with, so the document cannot drift from what is checked.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers, lower-case names (`idempotency-key`, `x-access-purpose`). */
  headers?: z.ZodObject;
  /** The JSON body. */
  body?: z.ZodType;
  responses: Partial<Record<200 | 201 | 204, ResponseDoc>>;
  /** Refusals beyond the ones every route can give. */
  errors?: readonly DocumentedError[];
}

/** A route of a catalogue with its documentation: a route cannot be listed without it. */
export interface DocumentedRoute extends RouteRef {
  doc: RouteDoc;
}

/** `X-Access-Purpose`: why the caller reads or changes personal data (see access-purpose.ts). */
export const AccessPurposeHeader = z.object({
  'x-access-purpose': AuditPurpose.optional().meta({
    description:
      'Why the caller reads or changes personal data, recorded in the audit log. ' +
      'Administration for admins and follow-up for the others if not given.',
  }),
});

/** The probes and /metrics every service serves without a token (PUBLIC_ROUTES lists them). */
export const probeRouteRefs = {
  probeHealthz: {
    method: 'GET',
    path: '/healthz',
    doc: {
      summary: 'Liveness probe',
      tags: ['probes'],
      responses: {
        200: {
          description: 'The process is alive.',
          schema: z.object({ status: z.literal('alive') }),
        },
      },
    },
  },
  probeReadyz: {
    method: 'GET',
    path: '/readyz',
    doc: {
      summary: 'Readiness probe: 200 only when every dependency answers, 503 otherwise',
      tags: ['probes'],
      responses: {
        200: {
          description: 'Every dependency answers (503 with the same shape when one does not).',
          schema: z.object({
            status: z.enum(['ready', 'not ready']),
            checks: z.record(z.string(), z.string()),
          }),
        },
      },
    },
  },
  probeMetrics: {
    method: 'GET',
    path: '/metrics',
    doc: {
      summary: 'Prometheus metrics',
      tags: ['probes'],
      responses: {
        200: { description: 'Metrics in the Prometheus text format.', contentType: 'text/plain' },
      },
    },
  },
} as const satisfies Record<string, DocumentedRoute>;

/** GET /openapi.json: the service's OpenAPI document, served without a token. */
export const openApiRouteRefs = {
  openApi: {
    method: 'GET',
    path: '/openapi.json',
    doc: {
      summary: 'This OpenAPI document',
      tags: ['meta'],
      responses: { 200: { description: 'The OpenAPI 3.1 document of this service.' } },
    },
  },
} as const satisfies Record<string, DocumentedRoute>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A field, parameter or header is wrong (each one named in `problems`), or the body is not JSON.',
  401: 'No valid service token (`WWW-Authenticate: Bearer`).',
  403: 'The caller knows the resource but may not do this.',
  404: 'No such resource, or none the caller may see.',
  409: 'The request conflicts with the current state (a reused Idempotency-Key, a stale version).',
  410: 'The signed link cannot be used: `reason` says why (unknown, revoked, expired, used-up).',
  413: 'The body is larger than this endpoint accepts.',
  503: 'A dependency is unavailable; try again (`Retry-After`).',
};

const SECURITY_SCHEME = 'serviceToken';

/** An OpenAPI document as zod-openapi makes it. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

/** Express `/a/:id` as OpenAPI `/a/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

export interface OpenApiSettings {
  title: string;
  version: string;
  description?: string;
  /** Routes that need a service token, by operation id. */
  routes: Record<string, DocumentedRoute>;
  /** Routes anyone may call, by operation id, besides the probes (which are always documented). */
  publicRoutes?: Record<string, DocumentedRoute>;
}

function operation(id: string, route: DocumentedRoute, isPublic: boolean) {
  const { doc } = route;
  const hasInput = Boolean(doc.params ?? doc.query ?? doc.headers ?? doc.body);
  const errors = new Set<number>([
    ...(hasInput ? [400] : []),
    ...(isPublic ? [] : [401]),
    ...(doc.errors ?? []),
    ...(doc.body ? [413] : []),
    ...(isPublic ? [] : [503]),
  ]);
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: answer.description,
      ...(answer.attachment
        ? { headers: { 'Content-Disposition': { schema: { type: 'string' } } } }
        : {}),
      ...(answer.schema || answer.contentType
        ? {
            content: {
              [answer.contentType ?? 'application/json']: answer.schema
                ? { schema: answer.schema }
                : {},
            },
          }
        : {}),
    };
  }
  for (const status of [...errors].sort()) {
    responses[String(status) as `4${string}`] = {
      description: ERROR_DESCRIPTIONS[status] ?? 'Refused.',
      content: { 'application/json': { schema: ErrorBody } },
    };
  }
  const op: ZodOpenApiOperationObject = {
    operationId: id,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    ...(isPublic ? { security: [] } : {}),
    requestParams: {
      ...(doc.params ? { path: doc.params } : {}),
      ...(doc.query ? { query: doc.query } : {}),
      ...(doc.headers ? { header: doc.headers } : {}),
    },
    ...(doc.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: doc.body } } } }
      : {}),
    responses,
  };
  return op;
}

/**
 * The service's OpenAPI 3.1 document, made from its route catalogue: every route's method, path,
 * parameters, headers, body and answers, with the zod schemas the routes validate with.
 */
export function buildOpenApiDocument(settings: OpenApiSettings): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  const add = (id: string, route: DocumentedRoute, isPublic: boolean) => {
    const path = openApiPath(route.path);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const item = (paths[path] ??= {});
    if (item[method]) throw new Error(`${route.method} ${route.path} is documented twice`);
    item[method] = operation(id, route, isPublic);
  };
  for (const [id, route] of Object.entries(probeRouteRefs)) add(id, route, true);
  for (const [id, route] of Object.entries(settings.publicRoutes ?? {})) add(id, route, true);
  for (const [id, route] of Object.entries(settings.routes)) add(id, route, false);

  return createDocument({
    openapi: '3.1.0',
    info: {
      title: settings.title,
      version: settings.version,
      ...(settings.description ? { description: settings.description } : {}),
    },
    security: [{ [SECURITY_SCHEME]: [] }],
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A service token: a JWT signed with EdDSA (Ed25519) whose audience is this service.',
        },
      },
    },
    paths,
  });
}

/** GET /openapi.json, answering the document (built once, by the caller). */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  router.get(openApiRouteRefs.openApi.path, (_req, res) => {
    res.json(document);
  });
  return router;
}
