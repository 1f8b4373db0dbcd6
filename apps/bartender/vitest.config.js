import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const webCore = fileURLToPath(new URL('../../packages/web-core/src/', import.meta.url));
const src = fileURLToPath(new URL('./src/', import.meta.url));

/** Unit tests of the bartender app (pure logic), run by the root `npm test`. */
export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    alias: [
      { find: /^@taproom\/web-core\//, replacement: webCore },
      { find: /^@\//, replacement: src },
    ],
  },
  test: {
    name: 'bartender',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
  },
});
