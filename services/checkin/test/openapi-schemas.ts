import { execFileSync } from 'node:child_process';
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
 * The document checked by @seriousme/openapi-schema-validator against the official OpenAPI 3.1
 * schema. The validator is an ES module, which jest's CommonJS runtime cannot load, so it runs in
 * a node of its own that reads the document on stdin.
 */
export function validateOpenApi(doc: unknown): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: __dirname,
    input: JSON.stringify(doc),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { valid: boolean; errors?: unknown };
}

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
