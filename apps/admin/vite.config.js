import { taproomAppConfig } from '../../packages/web-core/config/app-config.js';

/** The admin app, at `/admin/`: React and Mantine in the entry; recharts only in the sales page's chunk. */
export default taproomAppConfig({
  appDir: import.meta.dirname,
  base: '/admin/',
  chunkSizeWarningLimit: 700,
});
