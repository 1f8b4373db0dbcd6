/**
 * The build and test configuration every Taproom app shares, so each app's vite.config.js and
 * vitest.config.js say only what is theirs: where it is served, how big its entry may grow,
 * what its tests set up. Apps import web-core's sources as `@taproom/web-core/<path>` and their
 * own as `@/<path>`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { defineConfig as defineTestConfig } from 'vitest/config';

const webCore = fileURLToPath(new URL('../src/', import.meta.url));
const nodeModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));

/** `@taproom/web-core/…` and the app's own `@/…`. */
function aliases(appDir) {
  return [
    { find: /^@taproom\/web-core\//, replacement: webCore },
    { find: /^@\//, replacement: `${appDir}/src/` },
  ];
}

/**
 * An app served by the backend under `base`; `npm run dev` serves it with the API proxied to
 * :3000. `chunkSizeWarningLimit` (kB) is the entry size the app is meant to stay under.
 *
 * @param {{ appDir: string, base: string, chunkSizeWarningLimit: number }} options
 */
export function taproomAppConfig({ appDir, base, chunkSizeWarningLimit }) {
  return defineConfig({
    base,
    root: appDir,
    plugins: [react()],
    resolve: { alias: aliases(appDir) },
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit },
    server: {
      proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
      // The dev server serves files of these folders only (by default it would serve the whole
      // repository, the data directory and its secrets among them, to whoever can reach it).
      fs: {
        strict: true,
        allow: [appDir, webCore, nodeModules],
        deny: ['.env', '.env.*', '*.{crt,pem,key}', '**/secrets.json', '**/pglite/**'],
      },
    },
  });
}

/**
 * An app's unit tests, run by the root `npm test` (Vitest projects). Kept apart from the build
 * config, so the root run does not need the build's plugins.
 *
 * @param {{ appDir: string, name: string, setupFiles?: string[] }} options
 */
export function taproomTestConfig({ appDir, name, setupFiles = [] }) {
  return defineTestConfig({
    root: appDir,
    resolve: { alias: aliases(appDir) },
    test: {
      name,
      include: ['src/**/*.test.{ts,tsx}'],
      environment: 'happy-dom',
      setupFiles,
    },
  });
}
