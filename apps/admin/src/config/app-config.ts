/** Fixed facts about the admin console. Nothing here is secret: it ships to the browser. */
export const APP_NAME = 'admin' as const;
/** The venue's currency for showing money (the API speaks integer cents). */
export const CURRENCY = 'EUR';
/** Rows per page in the console's lists. */
export const PAGE_SIZE = 20;
