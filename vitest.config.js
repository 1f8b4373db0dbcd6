import { defineConfig } from 'vitest/config';

/** The SPAs' unit tests (Vitest); the backend's run under Jest. */
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.js', 'apps/*/vitest.config.js'],
  },
});
