import { taproomAppConfig } from '../../packages/web-core/config/app-config.js';

/** The customer app, at `/`: a phone on a bar's Wi-Fi loads it, so its entry stays small. */
export default taproomAppConfig({
  appDir: import.meta.dirname,
  base: '/',
  chunkSizeWarningLimit: 400,
});
