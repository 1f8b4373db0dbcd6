import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webCore = fileURLToPath(new URL('../../packages/web-core/src/', import.meta.url));
const src = fileURLToPath(new URL('./src/', import.meta.url));

/** The bartender app, served by the backend at `/bartender/`. `npm run dev` proxies the API to :3000. */
export default defineConfig({
  base: '/bartender/',
  root: import.meta.dirname,
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@taproom\/web-core\//, replacement: webCore },
      { find: /^@\//, replacement: src },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // React, Mantine and the app in one file: a tablet loads it once per shift.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  test: {
    name: 'bartender',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
  },
});
