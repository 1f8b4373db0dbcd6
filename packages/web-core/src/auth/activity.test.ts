import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kioskActivitySource, manualActivitySource } from './activity';

describe('kioskActivitySource', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts every minute on screen, and nothing while hidden', () => {
    let visible = true;
    const source = kioskActivitySource({ base: manualActivitySource(), isVisible: () => visible });
    const onActivity = vi.fn();
    const stop = source.subscribe(onActivity);
    vi.advanceTimersByTime(3 * 60_000);
    expect(onActivity).toHaveBeenCalledTimes(3);
    visible = false;
    vi.advanceTimersByTime(5 * 60_000);
    expect(onActivity).toHaveBeenCalledTimes(3);
    stop();
    visible = true;
    vi.advanceTimersByTime(5 * 60_000);
    expect(onActivity).toHaveBeenCalledTimes(3);
  });

  it('passes interactions through', () => {
    const base = manualActivitySource();
    const onActivity = vi.fn();
    kioskActivitySource({ base, isVisible: () => false }).subscribe(onActivity);
    base.touch();
    expect(onActivity).toHaveBeenCalledTimes(1);
  });
});
