import type { ChannelLike } from './session-manager';

/** Apps whose idle timeout is longer than this never warn (a bar's 12 h, a customer's 30 days). */
const IDLE_WARNING_MAX_TIMEOUT_MS = 3_600_000;
/** The warning shows this long before the idle deadline. */
const IDLE_WARNING_LEAD_MS = 120_000;
/** How often a tab tells the others that the person is using it (input is frequent). */
const ACTIVITY_SHARE_INTERVAL_MS = 5_000;

/** What the server last confirmed about the session's end, on the local clock. */
export interface IdleDeadline {
  /** `session.idleExpiresAt`, ms on the local clock. */
  readonly idleExpiresAt: number;
  /** True when the idle deadline is the session's absolute end: no refresh can move it. */
  readonly absolute: boolean;
  /** `session.idleTimeoutSeconds`, in ms. */
  readonly idleTimeoutMs: number;
}

export type IdleWarningView =
  | { readonly phase: 'off' | 'watching' }
  | { readonly phase: 'warning'; readonly deadline: number; readonly absolute: boolean };

/** Messages between the tabs of one app, on the channel `taproom-idle-<app>`. */
export type IdleMessage =
  | { type: 'activity'; at: number }
  | { type: 'warn'; deadline: number; absolute: boolean }
  | { type: 'dismiss'; deadline: number };

export interface IdleWarningOptions {
  /** Shared by every tab of the app; null for none (one tab). */
  channel: ChannelLike | null;
  /**
   * Refreshes the session, which moves its idle deadline on; resolves false when the session
   * is over. The new deadline comes back through {@link IdleWarning.confirm}.
   */
  refresh: () => Promise<boolean>;
  /**
   * The countdown ran out untouched: end the session on the server, saying why (`expired` when
   * the deadline was the session's absolute end).
   */
  expire: (reason: 'idle' | 'expired') => void;
  now?: () => number;
}

/**
 * When the warning shows: two minutes before the deadline, or two thirds of the timeout before it
 * when that is less (a one-minute timeout warns after 20 s untouched).
 */
export function warningLeadMs(idleTimeoutMs: number): number {
  return Math.min(IDLE_WARNING_LEAD_MS, (idleTimeoutMs * 2) / 3);
}

/** Whether an app with this idle timeout warns at all (an hour or less). */
function warnsBeforeIdle(idleTimeoutMs: number): boolean {
  return idleTimeoutMs > 0 && idleTimeoutMs <= IDLE_WARNING_MAX_TIMEOUT_MS;
}

/**
 * The inactivity warning of one app in one tab, framework-free. It knows the idle deadline the
 * server last confirmed (a sign-in or a refresh) and when the person last did something in any
 * tab of the app. Shortly before the deadline:
 * - if they did something since it was confirmed, it refreshes silently (the server's deadline
 *   only moves on API requests, and typing a long form sends none) — nobody is interrupted;
 * - otherwise it warns, in every tab at once, and counts down; at zero it calls `expire`.
 *
 * Only what the person does counts (input, and the app's requests that change something):
 * background traffic — the live event stream, automatic refetches — also pushes the server's
 * deadline on, but the warning counts down to the deadline last confirmed to this app, so a
 * screen left open with a live stream still ends after the idle timeout.
 */
export class IdleWarning {
  private view: IdleWarningView = { phase: 'off' };
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private deadline: IdleDeadline | null = null;
  private confirmedAt = 0;
  private lastActivityAt = 0;
  private lastSharedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing = false;

  constructor(private readonly options: IdleWarningOptions) {
    this.now = options.now ?? (() => Date.now());
    options.channel?.addEventListener('message', this.onMessage);
  }

  getView = (): IdleWarningView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The server's word on the session's deadline (null: signed out, nothing to watch). */
  confirm(deadline: IdleDeadline | null): void {
    if (deadline === null || !warnsBeforeIdle(deadline.idleTimeoutMs)) {
      this.deadline = null;
      this.clearTimer();
      this.setView({ phase: 'off' });
      return;
    }
    const previous = this.deadline;
    if (previous !== null && previous.idleExpiresAt === deadline.idleExpiresAt) return;
    this.adopt(deadline);
    if (this.view.phase === 'warning' && !this.isNear()) {
      this.post({ type: 'dismiss', deadline: deadline.idleExpiresAt });
    }
    this.settle();
  }

  /** The person did something in this tab. Shared with the other tabs, at most every 5 s. */
  activity(): void {
    const now = this.now();
    this.lastActivityAt = now;
    // The first input after a confirmed deadline is the one that matters: share it at once.
    if (
      now - this.lastSharedAt >= ACTIVITY_SHARE_INTERVAL_MS ||
      this.lastSharedAt <= this.confirmedAt
    ) {
      this.lastSharedAt = now;
      this.post({ type: 'activity', at: now });
    }
  }

  /** "Stay signed in": a refresh, whose new deadline closes the warning in every tab. */
  async staySignedIn(): Promise<boolean> {
    return this.options.refresh();
  }

  dispose(): void {
    this.clearTimer();
    this.options.channel?.removeEventListener('message', this.onMessage);
    this.listeners.clear();
  }

  private adopt(deadline: IdleDeadline): void {
    this.deadline = deadline;
    this.confirmedAt = this.now();
  }

  /** Puts the view and the timer where the deadline says. */
  private settle(): void {
    const deadline = this.deadline;
    if (deadline === null) return;
    if (this.view.phase === 'warning' && this.isNear()) {
      this.setView({
        phase: 'warning',
        deadline: deadline.idleExpiresAt,
        absolute: deadline.absolute,
      });
      this.at(deadline.idleExpiresAt, this.onDeadline);
      return;
    }
    this.setView({ phase: 'watching' });
    this.at(deadline.idleExpiresAt - warningLeadMs(deadline.idleTimeoutMs), this.onWarningTime);
  }

  private isNear(): boolean {
    const deadline = this.deadline;
    return (
      deadline !== null &&
      deadline.idleExpiresAt - this.now() <= warningLeadMs(deadline.idleTimeoutMs)
    );
  }

  private readonly onWarningTime = (): void => {
    const deadline = this.deadline;
    if (deadline === null || this.view.phase !== 'watching' || this.refreshing) return;
    if (this.now() >= deadline.idleExpiresAt) {
      this.onDeadline();
      return;
    }
    if (!deadline.absolute && this.lastActivityAt > this.confirmedAt) {
      this.refreshing = true;
      void this.options
        .refresh()
        // Failed (the server could not be reached): the session goes on until its deadline.
        .catch(() => true)
        .then((goesOn) => {
          this.refreshing = false;
          // The deadline did not move (the refresh failed or the server could not be reached):
          // warn, so the person sees the countdown and can try "Stay signed in" again.
          if (goesOn && this.deadline === deadline) this.warn();
        });
      return;
    }
    this.warn();
  };

  private warn(): void {
    const deadline = this.deadline;
    if (deadline === null) return;
    this.show(deadline);
    this.post({ type: 'warn', deadline: deadline.idleExpiresAt, absolute: deadline.absolute });
  }

  private show(deadline: IdleDeadline): void {
    this.setView({
      phase: 'warning',
      deadline: deadline.idleExpiresAt,
      absolute: deadline.absolute,
    });
    this.at(deadline.idleExpiresAt, this.onDeadline);
  }

  private readonly onDeadline = (): void => {
    const deadline = this.deadline;
    if (deadline === null) return;
    this.deadline = null;
    this.clearTimer();
    this.setView({ phase: 'off' });
    this.options.expire(deadline.absolute ? 'expired' : 'idle');
  };

  private readonly onMessage = (event: MessageEvent): void => {
    const message = event.data as IdleMessage;
    switch (message.type) {
      case 'activity':
        this.lastActivityAt = Math.max(this.lastActivityAt, message.at);
        break;
      case 'warn': {
        const deadline = this.deadline;
        if (deadline === null || this.view.phase !== 'watching') return;
        // About another deadline (one this tab has since seen moved on, say): not this one's.
        if (Math.abs(message.deadline - deadline.idleExpiresAt) > 1_000) return;
        this.show(deadline);
        break;
      }
      case 'dismiss': {
        const deadline = this.deadline;
        if (deadline === null || message.deadline <= deadline.idleExpiresAt) return;
        // The new deadline may beat this tab's own session news here: take it now, so the
        // warning does not come straight back.
        this.adopt({ ...deadline, idleExpiresAt: message.deadline });
        this.setView({ phase: 'watching' });
        this.settle();
        break;
      }
    }
  };

  private at(time: number, run: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(run, Math.max(0, time - this.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private post(message: IdleMessage): void {
    try {
      this.options.channel?.postMessage(message);
    } catch {
      // A closed channel (the page is going away) changes nothing here.
    }
  }

  private setView(view: IdleWarningView): void {
    const current = this.view;
    if (
      current.phase === view.phase &&
      (current.phase !== 'warning' ||
        (view.phase === 'warning' &&
          current.deadline === view.deadline &&
          current.absolute === view.absolute))
    ) {
      return;
    }
    this.view = view;
    for (const listener of this.listeners) listener();
  }
}

/** Formats what is left of the countdown as `m:ss` ("1:59", "0:05"). */
export function countdownText(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function secondsIn(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

function timeLeftWords(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [
    minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : '',
    rest > 0 || minutes === 0 ? `${rest} second${rest === 1 ? '' : 's'}` : '',
  ].filter((part) => part !== '');
  return `${parts.join(' ')} left.`;
}

/**
 * What a screen reader's live region holds `remainingMs` before the end of a countdown that
 * opened with `openedWithMs` left: the time at opening, then each half minute and the last ten
 * seconds. It changes (and so is spoken) only at those moments, not every second.
 */
export function countdownAnnouncement(remainingMs: number, openedWithMs: number): string {
  const seconds = secondsIn(remainingMs);
  const milestone = seconds <= 10 ? 10 : Math.ceil(seconds / 30) * 30;
  const opened = secondsIn(openedWithMs);
  return timeLeftWords(milestone >= opened ? opened : milestone);
}
