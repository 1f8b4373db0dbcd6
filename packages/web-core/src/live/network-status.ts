/**
 * Whether this device has a network at all, and word when that changes. `navigator.onLine` being
 * true proves little (a captive portal, a dead Wi-Fi), but false is reliable: there is no point
 * trying, and the person should be told at once.
 */
export interface NetworkStatus {
  isOnline(): boolean;
  /** Calls `onChange` on every `online`/`offline` change; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

/** The browser's `navigator.onLine` and `online`/`offline` events (always online elsewhere). */
export const browserNetwork: NetworkStatus = {
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine,
  subscribe: (onChange) => {
    if (typeof window === 'undefined') return () => undefined;
    window.addEventListener('online', onChange);
    window.addEventListener('offline', onChange);
    return () => {
      window.removeEventListener('online', onChange);
      window.removeEventListener('offline', onChange);
    };
  },
};
