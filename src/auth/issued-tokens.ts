import type { SessionSummary } from '../sessions/session-view.js';
import type { IssuedSession } from '../sessions/sessions.service.js';
import type { UserView } from '../users/user-view.js';
import type { RefreshTransport } from './dto/auth-requests.dto.js';
import type { TokenService } from './token.service.js';

/** The answer to login and refresh, before the refresh token goes to its transport. */
export interface IssuedTokens {
  readonly tokenType: 'Bearer';
  readonly accessToken: string;
  readonly accessTokenExpiresAt: string;
  /** A setup-only session: turn two-factor sign-in on, then refresh, before anything else. */
  readonly twoFactorSetupOnly: boolean;
  readonly refreshToken: string;
  readonly user: UserView;
  readonly session: SessionSummary;
  readonly transport: RefreshTransport;
  /** False: the refresh cookie is a browser-session cookie (no `Expires`). */
  readonly remember: boolean;
}

/** Signs an access token for `user` in the issued session: the login answer. */
export function issueTokens(
  tokens: TokenService,
  user: UserView,
  issued: IssuedSession,
  transport: RefreshTransport,
): IssuedTokens {
  const access = tokens.sign(
    {
      userId: user.id,
      sessionId: issued.session.id,
      role: user.role,
      app: issued.session.app,
      twoFactorEnabled: user.twoFactorEnabled,
    },
    new Date(issued.session.expiresAt),
  );
  return {
    tokenType: 'Bearer',
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    twoFactorSetupOnly: access.setupOnly,
    refreshToken: issued.refreshToken,
    user,
    session: issued.session,
    transport,
    remember: issued.remember,
  };
}
