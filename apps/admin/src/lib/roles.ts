import type { AppName, Role } from '@taproom/web-core/api/contracts';

/** Each role's name on screen: a role the server adds fails to compile here until it is named. */
const ROLE_LABELS: Record<Role, string> = {
  customer: 'Customer',
  bartender: 'Bartender',
  admin: 'Admin',
  guest: 'Guest',
};
const APP_LIST: Record<AppName, true> = { customer: true, bartender: true, admin: true };

/** Every role and every app, as the API spells them. */
export const ROLES = Object.keys(ROLE_LABELS) as readonly Role[];
export const APP_NAMES = Object.keys(APP_LIST) as readonly AppName[];

/** Select options for `roles`, in that order, with their names on screen. */
export function roleOptions<R extends Role = Role>(
  roles: readonly R[] = ROLES as readonly R[],
): { value: R; label: string }[] {
  return roles.map((value) => ({ value, label: ROLE_LABELS[value] }));
}

/** A role's name on screen: "Bartender". */
export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}
