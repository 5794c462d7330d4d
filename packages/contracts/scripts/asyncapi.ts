/**
 * Writes docs/asyncapi.yaml, the AsyncAPI 3 description of the event catalogue, from the zod
 * schemas. `--check` fails when the checked-in file differs from what the schemas say.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { buildAsyncApi } from '../src/asyncapi';

const target = resolve(__dirname, '../../../docs/asyncapi.yaml');
const text =
  '# Generated from packages/contracts by `npm run asyncapi`. Do not edit by hand.\n' +
  stringify(buildAsyncApi(), { lineWidth: 0, aliasDuplicateObjects: false });

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${target} is out of date: run \`npm run asyncapi\` and commit the result.`);
    process.exit(1);
  }
  console.log('docs/asyncapi.yaml is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
