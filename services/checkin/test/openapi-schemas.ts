import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { openApiPath, type RouteRef } from '@sanad/service-kit';
import { checkinOpenApiDocument } from '../src/http/openapi';

/** What the openapi tests share: the document, its validator, and a JSON Schema compiler. */

export type Json = Record<string, unknown>;

export const document = checkinOpenApiDocument() as unknown as {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components: Json;
};

/** The operation documented for a route. */
export const operationOf = (route: RouteRef) =>
  document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];

/**
 * A documented schema as a validator (strict: an unknown keyword or a dangling `$ref` throws),
 * its `$ref`s resolved against the document's components.
 */
export function compileSchema(schema: Json): ValidateFunction {
  return new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile({
    ...schema,
    components: document.components,
  });
}

/** The schema documented for a route's JSON answer with `status`. */
export function responseSchemaOf(route: RouteRef, status: number): Json | undefined {
  const responses = operationOf(route)?.responses as
    Record<string, { content?: Record<string, { schema?: Json }> }> | undefined;
  return responses?.[String(status)]?.content?.['application/json']?.schema;
}
