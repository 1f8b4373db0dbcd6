import { taproomTestConfig } from '../../packages/web-core/config/app-config.js';

export default taproomTestConfig({ appDir: import.meta.dirname, name: 'admin' });
