/** Fixed facts about the bar app. Nothing here is secret: it ships to every tablet. */
export const APP_NAME = 'bartender' as const;
/** A ticket turns amber once it has waited this long… */
export const TICKET_AMBER_AFTER_MS = 5 * 60_000;
/** …and red after this long. */
export const TICKET_RED_AFTER_MS = 8 * 60_000;
/** How often ticket ages are redrawn. */
export const AGE_TICK_MS = 15_000;

/** How often the chime repeats while a new order waits to be acknowledged. */
export const CHIME_REPEAT_MS = 5_000;
/** How often the queue is refetched while the live stream is down (a safety net, not the path). */
export const OFFLINE_POLL_MS = 15_000;
/** The most open orders the queue holds (pages of 100 are fetched up to this). */
export const MAX_QUEUE_ORDERS = 500;
