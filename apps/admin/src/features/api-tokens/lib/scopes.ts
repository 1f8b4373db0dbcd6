import type { ApiTokenScope } from '@taproom/web-core/api/contracts';

/** Each permission a token can have, in the words the admin reads (compile-checked: all of them). */
const SCOPE_WORDS: Record<ApiTokenScope, { label: string; description: string }> = {
  'menu:read': {
    label: 'Read the menu',
    description: 'Every menu item, including archived ones and stock counts.',
  },
  'menu:write': {
    label: 'Change the menu',
    description: 'Add, edit, archive and restore items; mark them sold out; change stock.',
  },
  'orders:read': {
    label: 'Read orders',
    description: 'Every customer’s orders, one at a time or as a filtered list.',
  },
  'orders:write': {
    label: 'Move and cancel orders',
    description: 'Accept, prepare, mark ready or served, and cancel orders.',
  },
  'reports:read': {
    label: 'Read reports',
    description: 'Sales and service reports, and the sales and orders spreadsheets.',
  },
  'audit:read': { label: 'Read the audit log', description: 'Who did what, and when.' },
  'users:read': {
    label: 'Read users',
    description: 'Names, emails and roles of every account (never passwords).',
  },
};

export const SCOPES = Object.keys(SCOPE_WORDS) as ApiTokenScope[];

export function scopeWords(scope: ApiTokenScope): { label: string; description: string } {
  return SCOPE_WORDS[scope];
}

/** How long a new token may last: days, or never ending. */
export const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'No expiry (until revoked)' },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

export function expiresInDays(choice: ExpiryChoice): number | undefined {
  return choice === 'never' ? undefined : Number(choice);
}

/** Whether a token's expiry has passed at `now`. */
export function isExpired(expiresAt: string | null, now: number): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now;
}
