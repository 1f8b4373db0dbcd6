import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  countdownAnnouncement,
  countdownText,
  type IdleDeadline,
  IdleWarning,
  warningLeadMs,
} from './idle-warning';

const MINUTE = 60_000;
const IDLE = 30 * MINUTE;

/** A deadline confirmed now: the idle timeout from now, the absolute end far later. */
function deadlineFromNow(idleTimeoutMs = IDLE, absolute = false): IdleDeadline {
  return { idleExpiresAt: Date.now() + idleTimeoutMs, absolute, idleTimeoutMs };
}

/** Node's `setImmediate` (not faked here), without Node's types in this package. */
const nextTurn = (globalThis as unknown as { setImmediate: (run: () => void) => void })
  .setImmediate;

/** Lets BroadcastChannel messages (delivered by Node's event loop, not by timers) arrive. */
async function deliver(): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    await new Promise<void>((resolve) => {
      nextTurn(resolve);
    });
  }
}

interface Tab {
  warning: IdleWarning;
  channel: BroadcastChannel | null;
  refresh: ReturnType<typeof vi.fn<() => Promise<boolean>>>;
  expire: ReturnType<typeof vi.fn<(reason: 'idle' | 'expired') => void>>;
}

const open: Tab[] = [];

/** One tab's warning; its refresh confirms a fresh deadline, as the session manager would. */
function tab(channelName: string | null = null, idleTimeoutMs = IDLE): Tab {
  const channel = channelName === null ? null : new BroadcastChannel(channelName);
  const refresh = vi.fn(() => {
    warning.confirm(deadlineFromNow(idleTimeoutMs));
    return Promise.resolve(true);
  });
  const expire = vi.fn<(reason: 'idle' | 'expired') => void>();
  const warning = new IdleWarning({ channel, refresh, expire });
  const result = { warning, channel, refresh, expire };
  open.push(result);
  return result;
}

describe('inactivity warning', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    for (const { warning, channel } of open.splice(0)) {
      warning.dispose();
      channel?.close();
    }
    vi.useRealTimers();
  });

  it('warns two minutes before the idle deadline when nothing happened', () => {
    const { warning } = tab();
    const deadline = deadlineFromNow();
    warning.confirm(deadline);
    expect(warning.getView()).toEqual({ phase: 'watching' });
    vi.advanceTimersByTime(IDLE - 2 * MINUTE - 1);
    expect(warning.getView().phase).toBe('watching');
    vi.advanceTimersByTime(1);
    expect(warning.getView()).toEqual({
      phase: 'warning',
      deadline: deadline.idleExpiresAt,
      absolute: false,
    });
  });

  it('never warns an app whose idle timeout is over an hour', () => {
    const { warning } = tab();
    warning.confirm(deadlineFromNow(12 * 60 * MINUTE));
    vi.advanceTimersByTime(12 * 60 * MINUTE);
    expect(warning.getView()).toEqual({ phase: 'off' });
  });

  it('refreshes silently instead of warning when the person was active since the deadline was confirmed', async () => {
    const { warning, refresh } = tab();
    warning.confirm(deadlineFromNow());
    vi.advanceTimersByTime(10 * MINUTE);
    warning.activity();
    await vi.advanceTimersByTimeAsync(18 * MINUTE);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(warning.getView().phase).toBe('watching');
    // The refreshed deadline is watched in turn: untouched since, it warns 28 minutes on.
    await vi.advanceTimersByTimeAsync(28 * MINUTE);
    expect(warning.getView().phase).toBe('warning');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('warns after all when the silent refresh fails (the server could not be reached)', async () => {
    const { warning, refresh, expire } = tab();
    refresh.mockImplementationOnce(() => Promise.reject(new Error('Network Error')));
    const deadline = deadlineFromNow();
    warning.confirm(deadline);
    vi.advanceTimersByTime(10 * MINUTE);
    warning.activity();
    await vi.advanceTimersByTimeAsync(18 * MINUTE);
    expect(refresh).toHaveBeenCalledTimes(1);
    // Not left watching with nothing armed: the person gets the dialog and its countdown.
    expect(warning.getView()).toEqual({
      phase: 'warning',
      deadline: deadline.idleExpiresAt,
      absolute: false,
    });
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(expire).toHaveBeenCalledWith('idle');
  });

  it('does not count activity from before the deadline was confirmed', () => {
    const { warning, refresh } = tab();
    warning.activity();
    vi.advanceTimersByTime(1_000);
    warning.confirm(deadlineFromNow());
    vi.advanceTimersByTime(28 * MINUTE);
    expect(refresh).not.toHaveBeenCalled();
    expect(warning.getView().phase).toBe('warning');
  });

  it('signs out when the countdown reaches zero untouched, once', () => {
    const { warning, expire } = tab();
    warning.confirm(deadlineFromNow());
    vi.advanceTimersByTime(IDLE - 1);
    expect(expire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(expire).toHaveBeenCalledWith('idle');
    expect(warning.getView()).toEqual({ phase: 'off' });
    vi.advanceTimersByTime(IDLE);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('"Stay signed in" moves the deadline on and closes the warning', async () => {
    const { warning, expire } = tab();
    warning.confirm(deadlineFromNow());
    vi.advanceTimersByTime(29 * MINUTE);
    expect(warning.getView().phase).toBe('warning');
    await warning.staySignedIn();
    expect(warning.getView().phase).toBe('watching');
    vi.advanceTimersByTime(2 * MINUTE);
    expect(expire).not.toHaveBeenCalled();
  });

  it('warns at the absolute end even after activity: no refresh can move it', () => {
    const { warning, refresh, expire } = tab();
    warning.confirm(deadlineFromNow(IDLE, true));
    warning.activity();
    vi.advanceTimersByTime(28 * MINUTE);
    expect(refresh).not.toHaveBeenCalled();
    expect(warning.getView()).toMatchObject({ phase: 'warning', absolute: true });
    vi.advanceTimersByTime(2 * MINUTE);
    expect(expire).toHaveBeenCalledWith('expired');
  });

  it('stops when signed out', () => {
    const { warning, expire } = tab();
    warning.confirm(deadlineFromNow());
    vi.advanceTimersByTime(29 * MINUTE);
    warning.confirm(null);
    expect(warning.getView()).toEqual({ phase: 'off' });
    vi.advanceTimersByTime(IDLE);
    expect(expire).not.toHaveBeenCalled();
  });

  it('warns two minutes ahead, or two thirds of a shorter timeout ahead', () => {
    expect(warningLeadMs(IDLE)).toBe(2 * MINUTE);
    expect(warningLeadMs(3 * MINUTE)).toBe(2 * MINUTE);
    expect(warningLeadMs(MINUTE)).toBe(40_000);
  });
});

describe('inactivity warning across tabs (a real BroadcastChannel)', () => {
  let name = '';
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    name = `idle-test-${Math.random()}`;
  });
  afterEach(() => {
    for (const { warning, channel } of open.splice(0)) {
      warning.dispose();
      channel?.close();
    }
    vi.useRealTimers();
  });

  it('shows the warning in every tab when the first one warns', async () => {
    const a = tab(name);
    const b = tab(name);
    const deadline = deadlineFromNow();
    a.warning.confirm(deadline);
    // B's own timer is late (a background tab is throttled): it hears A instead.
    b.warning.confirm({ ...deadline, idleExpiresAt: deadline.idleExpiresAt + 500 });
    vi.advanceTimersByTime(28 * MINUTE);
    expect(a.warning.getView().phase).toBe('warning');
    await deliver();
    expect(b.warning.getView().phase).toBe('warning');
  });

  it('closes the warning in every tab when one of them stays signed in', async () => {
    const a = tab(name);
    const b = tab(name);
    const deadline = deadlineFromNow();
    a.warning.confirm(deadline);
    b.warning.confirm(deadline);
    vi.advanceTimersByTime(28 * MINUTE);
    expect(b.warning.getView().phase).toBe('warning');
    await a.warning.staySignedIn();
    await deliver();
    expect(a.warning.getView().phase).toBe('watching');
    expect(b.warning.getView().phase).toBe('watching');
    // B took the new deadline from the message: its old countdown does not run out.
    vi.advanceTimersByTime(5 * MINUTE);
    expect(b.expire).not.toHaveBeenCalled();
  });

  it('counts input in another tab: the idle tab refreshes silently instead of warning', async () => {
    const a = tab(name);
    const b = tab(name);
    const deadline = deadlineFromNow();
    a.warning.confirm(deadline);
    b.warning.confirm({ ...deadline, idleExpiresAt: deadline.idleExpiresAt + 500 });
    vi.advanceTimersByTime(5 * MINUTE);
    b.warning.activity();
    await deliver();
    vi.advanceTimersByTime(23 * MINUTE);
    expect(a.refresh).toHaveBeenCalledTimes(1);
    expect(a.warning.getView().phase).toBe('watching');
  });
});

describe('countdown wording', () => {
  it('shows m:ss and rounds up, so it reads 0:01 until the very end', () => {
    expect(countdownText(120_000)).toBe('2:00');
    expect(countdownText(119_001)).toBe('2:00');
    expect(countdownText(61_000)).toBe('1:01');
    expect(countdownText(500)).toBe('0:01');
    expect(countdownText(-5)).toBe('0:00');
  });

  it('speaks when it opens, then at each half minute and the last ten seconds only', () => {
    const opened = 119_400;
    const spoken = [
      119_400, 100_000, 90_000, 89_000, 60_000, 31_000, 30_000, 11_000, 10_000, 1,
    ].map((left) => countdownAnnouncement(left, opened));
    expect(spoken).toEqual([
      '2 minutes left.',
      '2 minutes left.',
      '1 minute 30 seconds left.',
      '1 minute 30 seconds left.',
      '1 minute left.',
      '1 minute left.',
      '30 seconds left.',
      '30 seconds left.',
      '10 seconds left.',
      '10 seconds left.',
    ]);
    expect(countdownAnnouncement(75_000, 75_000)).toBe('1 minute 15 seconds left.');
  });
});
