/** Tells the session when the person interacts with the page. */
export interface ActivitySource {
  /** Calls `onActivity` on each interaction; returns a function that stops listening. */
  subscribe(onActivity: () => void): () => void;
}

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Input inside an element with this attribute is not activity: the inactivity warning's own
 * buttons act for themselves, and moving between them must not count as "still here".
 */
export const NOT_ACTIVITY_ATTRIBUTE = 'data-not-activity';

function countsAsActivity(event: Event): boolean {
  const target = event.target;
  return !(
    typeof Element !== 'undefined' &&
    target instanceof Element &&
    target.closest(`[${NOT_ACTIVITY_ATTRIBUTE}]`) !== null
  );
}

/**
 * Pointer and keyboard input anywhere on the page, the window gaining focus, and the tab becoming
 * visible again. Focus moved by the app itself (to a page's heading after navigation) is not a
 * person doing something, so only the window's own focus counts.
 */
export function browserActivitySource(): ActivitySource {
  return {
    subscribe(onActivity) {
      if (typeof window === 'undefined' || typeof document === 'undefined') return () => undefined;
      const onVisibility = (): void => {
        if (document.visibilityState === 'visible') onActivity();
      };
      const onFocus = (event: FocusEvent): void => {
        if (event.target === window) onActivity();
      };
      const onInput = (event: Event): void => {
        if (countsAsActivity(event)) onActivity();
      };
      const options: AddEventListenerOptions = { capture: true, passive: true };
      for (const type of INPUT_EVENTS) window.addEventListener(type, onInput, options);
      window.addEventListener('focus', onFocus);
      document.addEventListener('visibilitychange', onVisibility);
      return () => {
        for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput, options);
        window.removeEventListener('focus', onFocus);
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

/**
 * The app's own API requests that change something (a save, an order, a status change): the
 * person did them. Reads are left out on purpose: automatic refetches (on focus, on a live
 * event, on an interval) are not someone at the keyboard, and a read the person caused came
 * from a click or key press that already counted.
 */
export const writeRequestActivity = manualActivitySource();

export interface KioskActivityOptions {
  /** Interactions; default {@link browserActivitySource}. */
  base?: ActivitySource;
  /** Whether the screen shows the app; default the page's visibility. */
  isVisible?: () => boolean;
  /** How often a visible screen counts as activity. Default one minute. */
  intervalMs?: number;
}

/**
 * For a screen that people watch rather than touch (the bar's queue on a tablet): interactions
 * count, and so does every minute the app is on screen. A visible queue keeps its session (and
 * so its live stream) alive through a quiet spell; a hidden one idles out like any other tab.
 */
export function kioskActivitySource(options: KioskActivityOptions = {}): ActivitySource {
  const base = options.base ?? browserActivitySource();
  const isVisible =
    options.isVisible ??
    (() => typeof document !== 'undefined' && document.visibilityState === 'visible');
  const intervalMs = options.intervalMs ?? 60_000;
  return {
    subscribe(onActivity) {
      const stopBase = base.subscribe(onActivity);
      const timer = setInterval(() => {
        if (isVisible()) onActivity();
      }, intervalMs);
      return () => {
        clearInterval(timer);
        stopBase();
      };
    },
  };
}
