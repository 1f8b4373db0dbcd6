import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webCore = fileURLToPath(new URL('../../packages/web-core/src/', import.meta.url));
const src = fileURLToPath(new URL('./src/', import.meta.url));

/** The customer app, served by the backend at `/`. `npm run dev` proxies the API to :3000. */
export default defineConfig({
  base: '/',
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
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
