/**
 * What keeps the tablet's screen on: `held` while the Screen Wake Lock is ours, `unsupported`
 * where the browser has no such API (or refuses it outside a secure context), `refused` when it
 * said no (battery saver), `off` before the shift starts.
 */
export type WakeLockState = 'off' | 'held' | 'unsupported' | 'refused';

/**
 * The Screen Wake Lock for a shift. The browser releases it whenever the page is hidden; once
 * asked for, it is taken again each time the page is visible, until {@link ScreenWakeLock.stop}.
 */
class ScreenWakeLock {
  private sentinel: WakeLockSentinel | null = null;
  private wanted = false;
  private current: WakeLockState = 'off';
  private readonly listeners = new Set<() => void>();

  getState = (): WakeLockState => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Asks for the lock (best in a tap's handler) and keeps asking on every return to the page. */
  async start(): Promise<WakeLockState> {
    if (!this.wanted) {
      this.wanted = true;
      document.addEventListener('visibilitychange', this.onVisibility);
    }
    await this.acquire();
    return this.current;
  }

  stop(): void {
    this.wanted = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    const sentinel = this.sentinel;
    this.sentinel = null;
    void sentinel?.release();
    this.set('off');
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible' && this.sentinel === null) void this.acquire();
  };

  private async acquire(): Promise<void> {
    if (!('wakeLock' in navigator)) {
      this.set('unsupported');
      return;
    }
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      sentinel.addEventListener('release', () => {
        if (this.sentinel === sentinel) this.sentinel = null;
        // Released because the page was hidden: taken again when it is visible.
        if (this.wanted && document.visibilityState === 'visible') void this.acquire();
      });
      this.sentinel = sentinel;
      this.set('held');
    } catch {
      this.set('refused');
    }
  }

  private set(state: WakeLockState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.listeners) listener();
  }
}

/** The bar tablet's one wake lock. */
export const wakeLock = new ScreenWakeLock();
