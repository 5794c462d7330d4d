/** Three projects: unit (pure, no I/O), integration (real Kafka, MongoDB-compatible server, Redis),
 *  e2e (whole services over HTTP). Workspace packages resolve to their TypeScript sources. */
const shared = {
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: { '^@sanad/([a-z-]+)$': '<rootDir>/packages/$1/src' },
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/scripts/jest/integration-timeout.js'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/scripts/jest/e2e-timeout.js'],
    },
  ],
};
