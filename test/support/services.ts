/**
 * The suites that `npm test` runs (unit, e2e) need Node alone. Before each of their files,
 * without-services.setup.ts points TEST_REDIS_URL at a closed port and sets TEST_WITHOUT_SERVICES,
 * so that a test there that needs Redis or a PostgreSQL server of its own fails, even on a machine
 * that has them. Such a test belongs in test/redis (npm run test:redis) or test/topology.
 */
export const CLOSED_REDIS_URL = 'redis://127.0.0.1:1';

/** Throws in the suites that run with Node alone; `service` names what the test wanted. */
export function refuseWithoutServices(service: string): void {
  if (process.env.TEST_WITHOUT_SERVICES !== '1') return;
  throw new Error(
    `${service}: this suite runs with Node alone (npm test); a test that needs Redis belongs in ` +
      'test/redis (npm run test:redis), one that needs a PostgreSQL server of its own in test/topology',
  );
}
