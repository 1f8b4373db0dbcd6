import type { ApiTokenScope } from '../api-tokens/api-token-scopes.js';
import type { Role } from '../users/role.js';

export const APPS = ['customer', 'bartender', 'admin'] as const;
export type AppName = (typeof APPS)[number];

/** Who is calling: read from a verified access token by the global auth guard. */
export interface AuthContext {
  readonly userId: string;
  /**
   * The session the access token belongs to; for an API token, which has no session, the API
   * token's id (so the audit log names what acted).
   */
  readonly sessionId: string;
  readonly role: Role;
  readonly app: AppName;
  /** Set when the caller is an API token (`Bearer tap_…`) rather than a session's JWT. */
  readonly apiToken?: ApiTokenGrant;
  /**
   * A setup-only session (TWO_FACTOR_ADMIN=required, an admin without two-factor sign-in): only
   * routes marked `@DuringTwoFactorSetup()` answer it.
   */
  readonly setupOnly?: true;
}

/** An API token's grant: it acts as its owner (an admin of the admin app) within its scopes. */
interface ApiTokenGrant {
  readonly id: string;
  readonly scopes: readonly ApiTokenScope[];
}

/** Who made a change, for the audit log: the signed-in user, their session and address. */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
  readonly ip: string | null;
}
