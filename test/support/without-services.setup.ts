/**
 * Jest runs this before each unit and e2e test file (jest.config.js): see services.ts. The e2e
 * suite reaches PostgreSQL only through TEST_DATABASE_URL (npm run test:pg).
 */
import { CLOSED_REDIS_URL } from './services.js';

process.env.TEST_REDIS_URL = CLOSED_REDIS_URL;
process.env.TEST_WITHOUT_SERVICES = '1';
