import { createApiClient } from '@taproom/web-core/api/api-client';
import { kioskActivitySource } from '@taproom/web-core/auth/activity';
import { createSessionManager } from '@taproom/web-core/auth/session-manager';
import { APP_NAME } from '@/config/app-config';

/**
 * This app's session (access token in memory, refresh token in the `rt_bartender` cookie). The
 * queue is watched more than touched: while it is on screen the session stays alive, so a quiet
 * spell never leaves the bar without its live stream; a hidden tab idles out as usual.
 */
export const sessionActivity = kioskActivitySource();

export const session = createSessionManager({ app: APP_NAME, activity: sessionActivity });

/** Every API call goes through this client: bearer, refresh, one retry, readable errors. */
export const api = createApiClient(session);
