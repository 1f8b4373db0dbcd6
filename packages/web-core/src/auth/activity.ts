/** Tells the session when the person interacts with the page. */
export interface ActivitySource {
  /** Calls `onActivity` on each interaction; returns a function that stops listening. */
  subscribe(onActivity: () => void): () => void;
}

const WINDOW_EVENTS = ['pointerdown', 'keydown', 'focus', 'wheel', 'touchstart'] as const;

/** Pointer, keyboard and focus on `window`, and the tab becoming visible again. */
export function browserActivitySource(): ActivitySource {
  return {
    subscribe(onActivity) {
      if (typeof window === 'undefined' || typeof document === 'undefined') return () => undefined;
      const onVisibility = (): void => {
        if (document.visibilityState === 'visible') onActivity();
      };
      const options: AddEventListenerOptions = { capture: true, passive: true };
      for (const type of WINDOW_EVENTS) window.addEventListener(type, onActivity, options);
      document.addEventListener('visibilitychange', onVisibility);
      return () => {
        for (const type of WINDOW_EVENTS) window.removeEventListener(type, onActivity, options);
        document.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}

/** An activity source driven by hand (tests, or an app that wants its own signal). */
export function manualActivitySource(): ActivitySource & { touch(): void } {
  const listeners = new Set<() => void>();
  return {
    subscribe(onActivity) {
      listeners.add(onActivity);
      return () => listeners.delete(onActivity);
    },
    touch() {
      for (const listener of listeners) listener();
    },
  };
}
