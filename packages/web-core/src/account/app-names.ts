import type { AppName } from '../api/contracts';

/** What each app is called where a person reads it. */
export const APP_LABELS: Readonly<Record<AppName, string>> = {
  customer: 'Customer app',
  bartender: 'Bar board',
  admin: 'Admin console',
};
