import type { Role } from '../users/role.js';

/** Who may ask for ready alerts: the customer app's users, with an account or as a table's guest. */
export const PUSH_ROLES: readonly Role[] = ['customer', 'guest'];
