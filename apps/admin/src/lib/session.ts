import { createApiClient } from '@taproom/web-core/api/api-client';
import { createSessionManager } from '@taproom/web-core/auth/session-manager';
import { APP_NAME } from '@/config/app-config';

/** This app's session (access token in memory, refresh token in the `rt_admin` cookie). */
export const session = createSessionManager({ app: APP_NAME });

/** Every API call goes through this client: bearer, refresh, one retry, readable errors. */
export const api = createApiClient(session);
