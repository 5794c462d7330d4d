/**
 * Jest projects for one workspace (or, from the root, for all): unit (pure, no I/O), integration
 * (real Kafka, MongoDB-compatible server, Redis), e2e (whole services over HTTP). Workspace packages
 * resolve to their TypeScript sources, so unit tests need no build.
 */
const path = require('node:path');

const repoRoot = __dirname;

function projectsFor(rootDir) {
  const shared = {
    rootDir,
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    moduleNameMapper: { '^@sanad/([a-z-]+)$': path.join(repoRoot, 'packages/$1/src') },
    testEnvironment: 'node',
    testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.local/'],
  };
  return {
    projects: [
      { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
      {
        ...shared,
        displayName: 'integration',
        testMatch: ['<rootDir>/**/*.int.spec.ts'],
        setupFilesAfterEnv: [path.join(repoRoot, 'scripts/jest/integration-timeout.js')],
      },
      {
        ...shared,
        displayName: 'e2e',
        testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
        setupFilesAfterEnv: [path.join(repoRoot, 'scripts/jest/e2e-timeout.js')],
      },
    ],
  };
}

module.exports = { projectsFor };
