import { defineConfig } from 'vitest/config';

/**
 * Browser tests: Playwright (playwright-core) driving Debian's /usr/bin/chromium against the real
 * server, built by `npm run build` and started by each test file on a free port with its own
 * data directory. Run with `npm run test:browser`.
 */
export default defineConfig({
  test: {
    name: 'browser',
    root: import.meta.dirname,
    include: ['**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
