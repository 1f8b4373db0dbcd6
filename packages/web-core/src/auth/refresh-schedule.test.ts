import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../testing/fake-api';
import {
  backoffDelayMs,
  isRefreshDue,
  refreshDelayMs,
  refreshLeadMs,
  shouldRefreshProactively,
} from './refresh-schedule';
import { signedOutMessage } from './signed-out-reason';
import { decodeTokenTimes, tokenLifetimeMs } from './token-expiry';

describe('refresh scheduling', () => {
  it('refreshes a ten-minute token one minute before it expires', () => {
    expect(refreshLeadMs(600_000)).toBe(60_000);
    expect(refreshDelayMs(1_600_000, 600_000, 1_000_000)).toBe(540_000);
  });

  it('refreshes a twenty-second token five seconds before it expires', () => {
    expect(refreshDelayMs(20_000, 20_000, 0)).toBe(15_000);
  });

  it('is due inside the lead window and never schedules in the past', () => {
    expect(isRefreshDue(100_000, 600_000, 50_000)).toBe(true);
    expect(refreshDelayMs(0, 600_000, 50_000)).toBe(0);
  });

  it('keeps a session alive only after activity since the last refresh', () => {
    expect(shouldRefreshProactively(10, 5)).toBe(true);
    expect(shouldRefreshProactively(5, 5)).toBe(false);
    expect(shouldRefreshProactively(0, 5)).toBe(false);
  });

  it('backs off 1 s, 2 s, 4 s … up to 30 s', () => {
    const mid = (): number => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffDelayMs(n, mid))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});

describe('token expiry', () => {
  it('reads iat and exp from a JWT and measures its lifetime from them', () => {
    const token = fakeJwt({ iat: 1_000, exp: 1_600 });
    expect(decodeTokenTimes(token)).toEqual({ iat: 1_000, exp: 1_600 });
    expect(tokenLifetimeMs(token, undefined, 0)).toBe(600_000);
  });

  it('falls back to accessTokenExpiresAt against the server time for an opaque token', () => {
    expect(decodeTokenTimes('not-a-jwt')).toBeUndefined();
    expect(
      tokenLifetimeMs('opaque', '2026-01-01T00:10:00Z', Date.parse('2026-01-01T00:00:00Z')),
    ).toBe(600_000);
  });
});

describe('signed-out notice', () => {
  it('says why, in words', () => {
    expect(signedOutMessage('evicted')).toBe(
      'You signed in on another device, so this one was signed out.',
    );
    expect(signedOutMessage('admin')).toBe('An admin ended this session.');
    expect(signedOutMessage('idle')).toBe('Signed out after inactivity.');
    expect(signedOutMessage('idle', 1800)).toBe(
      'You were signed out after 30 minutes without activity.',
    );
    expect(signedOutMessage('idle', 43_200)).toBe(
      'You were signed out after 12 hours without activity.',
    );
    expect(signedOutMessage('idle', 60)).toBe(
      'You were signed out after 1 minute without activity.',
    );
    expect(signedOutMessage('signed_out')).toBeNull();
  });
});
