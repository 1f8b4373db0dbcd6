/** The three single-page apps and where they are served. */
export const SPA_APPS = [
  { name: 'customer', base: '/', title: 'Taproom' },
  { name: 'bartender', base: '/bartender/', title: 'Taproom Bar' },
  { name: 'admin', base: '/admin/', title: 'Taproom Admin' },
] as const;

export type SpaApp = (typeof SPA_APPS)[number];
