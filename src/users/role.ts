export const ROLES = ['customer', 'bartender', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Staff roles: they work the bar queue. */
export const STAFF_ROLES: readonly Role[] = ['bartender', 'admin'];
