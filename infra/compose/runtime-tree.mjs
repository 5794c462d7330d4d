#!/usr/bin/env node
// Copies what one service needs at run time into OUT_DIR, for the Dockerfile's runtime stage:
//   - the root package.json and node_modules (run `npm prune --omit=dev` first);
//   - for the service and every workspace it depends on in production (its "dependencies",
//     followed transitively; devDependencies such as @sanad/testing are left out): package.json,
//     dist/ (must exist: build first), the other folders its "files" lists (views, styles,
//     locales) and the workspace's own node_modules/ if npm put one there;
//   - node_modules/@sanad/<name> links only for those workspaces (no dangling links).
// Usage: node infra/compose/runtime-tree.mjs SERVICE OUT_DIR   (run from the repository root)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [service, outDir] = process.argv.slice(2);
if (!service || !outDir) {
  console.error('usage: node infra/compose/runtime-tree.mjs SERVICE OUT_DIR');
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const root = readJson('package.json');

// Workspace name -> folder, from the root "workspaces" globs ("dir/*" or a plain folder).
const workspaces = new Map();
for (const pattern of root.workspaces ?? []) {
  const parent = pattern.slice(0, -2);
  const dirs = pattern.endsWith('/*')
    ? (existsSync(parent) ? readdirSync(parent, { withFileTypes: true }) : [])
        .filter((d) => d.isDirectory())
        .map((d) => join(parent, d.name))
    : [pattern];
  for (const dir of dirs) {
    if (existsSync(join(dir, 'package.json')))
      workspaces.set(readJson(join(dir, 'package.json')).name, dir);
  }
}

const start = join('services', service);
if (!existsSync(join(start, 'package.json'))) {
  console.error(`runtime-tree: ${start}/package.json not found (SERVICE=${service})`);
  process.exit(1);
}

// The production closure of workspaces, starting from the service.
const needed = new Set([start]);
const queue = [start];
while (queue.length > 0) {
  const pkg = readJson(join(queue.shift(), 'package.json'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const dir = workspaces.get(dep);
    if (dir && !needed.has(dir)) {
      needed.add(dir);
      queue.push(dir);
    }
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const copy = (from) =>
  cpSync(from, join(outDir, from), { recursive: true, verbatimSymlinks: true });

copy('package.json');
const neededLinks = new Set([...needed].map((dir) => readJson(join(dir, 'package.json')).name));
cpSync('node_modules', join(outDir, 'node_modules'), {
  recursive: true,
  verbatimSymlinks: true,
  // Leave out the links to workspaces the service does not need (they would dangle).
  filter: (src) => {
    const m = /^node_modules\/(@[^/]+\/[^/]+)$/.exec(src);
    return !m || !workspaces.has(m[1]) || neededLinks.has(m[1]);
  },
});

for (const dir of [...needed].sort()) {
  if (!existsSync(join(dir, 'dist'))) {
    console.error(
      `runtime-tree: ${dir}/dist is missing; build ${service} and its dependencies first`,
    );
    process.exit(1);
  }
  mkdirSync(join(outDir, dir), { recursive: true });
  copy(join(dir, 'package.json'));
  // dist/ and whatever else the package ships ("files": the web app's views, styles, locales)
  const files = readJson(join(dir, 'package.json')).files ?? ['dist'];
  for (const entry of new Set(['dist', ...files])) {
    if (existsSync(join(dir, entry))) copy(join(dir, entry));
  }
  if (existsSync(join(dir, 'node_modules'))) copy(join(dir, 'node_modules'));
}

const main = join(start, 'dist', 'main.js');
if (!existsSync(join(outDir, main))) {
  console.error(`runtime-tree: ${main} was not built`);
  process.exit(1);
}
console.log(`runtime-tree: ${service}: ${[...needed].sort().join(' ')} -> ${outDir}`);
