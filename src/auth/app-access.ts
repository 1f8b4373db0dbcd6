import type { Role } from '../users/role.js';
import type { AppName } from './auth-context.js';

/** Which roles may sign in to which app (contract: Roles, apps and demo accounts). */
const ROLES_BY_APP: Readonly<Record<AppName, readonly Role[]>> = {
  // Guests only ever get here through a table's QR code (POST /api/auth/guest), never a password.
  customer: ['customer', 'guest'],
  bartender: ['bartender', 'admin'],
  admin: ['admin'],
};

export function mayUseApp(role: Role, app: AppName): boolean {
  return ROLES_BY_APP[app].includes(role);
}
