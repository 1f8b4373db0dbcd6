import { taproomAppConfig } from '../../packages/web-core/config/app-config.js';

/** The bar app, at `/bartender/`: React, Mantine and the app in one file, loaded once per shift. */
export default taproomAppConfig({
  appDir: import.meta.dirname,
  base: '/bartender/',
  chunkSizeWarningLimit: 700,
});
