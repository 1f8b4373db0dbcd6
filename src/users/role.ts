export const ROLES = ['customer', 'bartender', 'admin', 'guest'] as const;
export type Role = (typeof ROLES)[number];

/** Staff roles: they work the bar queue. */
export const STAFF_ROLES: readonly Role[] = ['bartender', 'admin'];

/**
 * The roles of accounts with an email and a password: the ones an admin may create or give.
 * A guest is made only from a table's QR code, and becomes a customer only by upgrading itself.
 */
export const ACCOUNT_ROLES = ['customer', 'bartender', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Roles that order for themselves and see only their own orders. */
export const ORDERING_ROLES: readonly Role[] = ['customer', 'guest'];
