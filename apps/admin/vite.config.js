import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webCore = fileURLToPath(new URL('../../packages/web-core/src/', import.meta.url));
const src = fileURLToPath(new URL('./src/', import.meta.url));

/** The admin app, served by the backend at `/admin/`. `npm run dev` proxies the API to :3000. */
export default defineConfig({
  base: '/admin/',
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
    // React and Mantine in the entry; recharts only in the sales page's chunk.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  test: {
    name: 'admin',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
  },
});
