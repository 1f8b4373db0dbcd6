/**
 * What an API token may be allowed to do. Each route names the one scope a token needs to call
 * it (`@TokenScope(...)`), or that tokens may not call it at all (`@SessionOnly()`); a route
 * that says neither refuses tokens too.
 */
export const API_TOKEN_SCOPES = {
  'menu:read': 'Read the menu as the admin console sees it (archived items and stock included)',
  'menu:write':
    'Add, change, archive and restore menu items; change availability and stock (audited)',
  'orders:read': "Read every customer's orders, one at a time or as a filtered list",
  'orders:write': 'Move orders through their states and cancel them (audited)',
  'reports:read': 'Read the sales and service reports, and download the sales and orders CSVs',
  'audit:read': 'Read the audit log',
  'users:read': 'Read the user list and single users (never passwords)',
} as const satisfies Record<string, string>;

export type ApiTokenScope = keyof typeof API_TOKEN_SCOPES;

export const API_TOKEN_SCOPE_NAMES = Object.keys(API_TOKEN_SCOPES) as ApiTokenScope[];
