import type { Venue } from '@taproom/web-core/api/contracts';

/** Fixed facts about the bar app. Nothing here is secret: it ships to every tablet. */
export const APP_NAME = 'bartender' as const;
/** The venue's settings until `GET /api/venue` answers: the server's defaults. */
export const FALLBACK_VENUE: Venue = {
  stations: ['bar'],
  recallWindowSeconds: 15 * 60,
  serviceMode: 'counter',
  ticketAmberAfterSeconds: 5 * 60,
  ticketRedAfterSeconds: 8 * 60,
};
/** How often ticket ages are redrawn. */
export const AGE_TICK_MS = 15_000;

/** How often the chime repeats while a new order waits to be acknowledged. */
export const CHIME_REPEAT_MS = 5_000;
/** How often the queue is refetched while the live stream is down (a safety net, not the path). */
export const OFFLINE_POLL_MS = 15_000;
/** The most open orders the queue holds (pages of 100 are fetched up to this). */
export const MAX_QUEUE_ORDERS = 500;
/** The venue's currency, for amounts on the payment and tab screens. */
export const CURRENCY = 'EUR';
