import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const webCore = fileURLToPath(new URL('../../packages/web-core/src/', import.meta.url));
const src = fileURLToPath(new URL('./src/', import.meta.url));

/**
 * Unit tests of the customer app. Kept apart from vite.config.js so the root Vitest run does not
 * need this workspace's build plugins (npm may install them inside apps/customer/node_modules).
 */
export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    alias: [
      { find: /^@taproom\/web-core\//, replacement: webCore },
      { find: /^@\//, replacement: src },
    ],
  },
  test: {
    name: 'customer',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['src/testing/setup-dom.ts'],
  },
});
