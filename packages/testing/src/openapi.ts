import { execFileSync } from 'node:child_process';

/**
 * An OpenAPI document checked by @seriousme/openapi-schema-validator against the official OpenAPI
 * 3.1 schema. The validator is an ES module, which jest's CommonJS runtime cannot load, so it runs
 * in a node of its own that reads the document on stdin.
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
