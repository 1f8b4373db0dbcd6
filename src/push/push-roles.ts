import type { Role } from '../users/role.js';

/** Who may ask for ready alerts: the customer app's users. The one list to extend (guests). */
export const PUSH_ROLES: readonly Role[] = ['customer'];
