/** Jest runs in ESM mode (NestJS 12 is ESM-only); @swc/jest compiles TypeScript with decorators. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    // CommonJS that require()s ESM-only NestJS 12: served as ESM (see the transform's header).
    '/node_modules/@nestjs/throttler/.+\\.js$': '<rootDir>/test/support/cjs-to-esm.transform.mjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/throttler/)'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static require()s content-disposition 3, which is ESM-only: Node 20 allows that,
    // Jest's loader does not. Version 2 has the same API as CommonJS.
    '^content-disposition$': 'content-disposition-cjs',
  },
};

/**
 * The suites that `npm test` runs need Node alone (PGlite; PostgreSQL only through
 * TEST_DATABASE_URL, as npm run test:pg does): a test there that needs Redis fails, even on a machine
 * that has it (test/support/services.ts).
 */
const withoutServices = {
  ...shared,
  setupFiles: ['<rootDir>/test/support/without-services.setup.ts'],
};

/** @type {import('jest').Config} */
export default {
  // Per-test budget; e2e files boot a real app and database in beforeAll.
  testTimeout: 60_000,
  projects: [
    {
      ...withoutServices,
      displayName: 'unit',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...withoutServices,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
    {
      // Needs Redis: the machine's (TEST_REDIS_URL) and throwaway `redis-server`s. npm run
      // test:redis runs it on PostgreSQL, as a deployment with Redis runs several instances.
      ...shared,
      displayName: 'redis',
      roots: ['<rootDir>/test/redis'],
      testMatch: ['**/*.redis-spec.ts'],
    },
    {
      // Races that need PostgreSQL's concurrency: run by test:pg with the e2e suite.
      ...shared,
      displayName: 'postgres',
      roots: ['<rootDir>/test/postgres'],
      testMatch: ['**/*.pg-spec.ts'],
    },
    {
      // Needs the machine's PostgreSQL and Redis, Debian's nginx, and a build (npm run build).
      ...shared,
      displayName: 'topology',
      roots: ['<rootDir>/test/topology'],
      testMatch: ['**/*.topology-spec.ts'],
    },
    {
      // Every route in the OpenAPI document, attacked: auth, BOLA, mass assignment, headers, SQLi.
      ...shared,
      displayName: 'security',
      roots: ['<rootDir>/test/security'],
      testMatch: ['**/*.security-spec.ts'],
    },
    {
      // Property-based requests generated from the OpenAPI document (fast-check).
      ...shared,
      displayName: 'fuzz',
      roots: ['<rootDir>/test/fuzz'],
      testMatch: ['**/*.fuzz-spec.ts'],
    },
    {
      // A bounded mixed workload on two instances with PostgreSQL and Redis (SOAK_DURATION).
      ...shared,
      displayName: 'soak',
      roots: ['<rootDir>/test/soak'],
      testMatch: ['**/*.soak-spec.ts'],
    },
  ],
};
