/** Injection token of the server's {@link VapidKeys} (null when push is off). */
export const VAPID_KEYS = Symbol('VAPID_KEYS');
