import type { Role } from '../users/role.js';

export const APPS = ['customer', 'bartender', 'admin'] as const;
export type AppName = (typeof APPS)[number];

/** Who is calling: read from a verified access token by the global auth guard. */
export interface AuthContext {
  readonly userId: string;
  readonly sessionId: string;
  readonly role: Role;
  readonly app: AppName;
}

/** Who made a change, for the audit log: the signed-in user, their session and address. */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
  readonly ip: string | null;
}
