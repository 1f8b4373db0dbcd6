import { describe, expect, it } from '@jest/globals';
import type { SessionsConfig } from '../config/app-config.js';
import { SessionPolicy } from './session-policy.js';

const config = (limitMode: SessionsConfig['limitMode']): SessionsConfig => ({
  limitMode,
  roles: {
    admin: { maxPerApp: 1, idleSeconds: 1800, absoluteSeconds: 43_200 },
    bartender: { maxPerApp: 2, idleSeconds: 43_200, absoluteSeconds: 86_400 },
    customer: { maxPerApp: 10, idleSeconds: 2_592_000, absoluteSeconds: 7_776_000 },
    guest: { maxPerApp: 1, idleSeconds: 7_200, absoluteSeconds: 43_200 },
  },
  customerShortAbsoluteSeconds: 43_200,
  cleanupIntervalSeconds: 300,
  retentionSeconds: 86_400,
});

const at = (minutesAgo: number): Date =>
  new Date(Date.UTC(2026, 0, 1, 12, 0) - minutesAgo * 60_000);

describe('SessionPolicy', () => {
  const evicting = new SessionPolicy(config('evict_oldest'));
  const denying = new SessionPolicy(config('deny_new'));

  describe('admit', () => {
    it('admits without eviction while under the cap', () => {
      expect(evicting.admit('bartender', [{ id: 'a', lastActiveAt: at(5) }])).toEqual({
        admitted: true,
        evict: [],
      });
      expect(denying.admit('customer', [])).toEqual({ admitted: true, evict: [] });
    });

    it('evicts the admin’s one session for a new one', () => {
      expect(evicting.admit('admin', [{ id: 'old', lastActiveAt: at(1) }])).toEqual({
        admitted: true,
        evict: ['old'],
      });
    });

    it('evicts the least recently active session, not the oldest created', () => {
      const active = [
        { id: 'created-first-but-busy', lastActiveAt: at(1) },
        { id: 'idle-longest', lastActiveAt: at(90) },
      ];
      expect(evicting.admit('bartender', active)).toEqual({
        admitted: true,
        evict: ['idle-longest'],
      });
    });

    it('evicts as many as needed when the cap was lowered', () => {
      const active = [
        { id: 'a', lastActiveAt: at(3) },
        { id: 'b', lastActiveAt: at(1) },
        { id: 'c', lastActiveAt: at(2) },
        { id: 'd', lastActiveAt: at(4) },
      ];
      expect(evicting.admit('bartender', active)).toEqual({
        admitted: true,
        evict: ['d', 'a', 'c'],
      });
    });

    it('refuses in deny_new mode once the cap is reached', () => {
      expect(denying.admit('admin', [{ id: 'a', lastActiveAt: at(1) }])).toEqual({
        admitted: false,
      });
      expect(
        denying.admit('bartender', [
          { id: 'a', lastActiveAt: at(1) },
          { id: 'b', lastActiveAt: at(2) },
        ]),
      ).toEqual({ admitted: false });
    });
  });

  describe('deadlines', () => {
    it('sets the absolute end and the idle deadline from the role', () => {
      const now = at(0);
      const deadlines = evicting.deadlinesAt('admin', now);
      expect(deadlines.expiresAt.getTime() - now.getTime()).toBe(12 * 3600 * 1000);
      expect(deadlines.idleExpiresAt.getTime() - now.getTime()).toBe(30 * 60 * 1000);
    });

    it('gives a customer who is not remembered the short lifetime, and the idle deadline within it', () => {
      const now = at(0);
      const short = evicting.deadlinesAt('customer', now, false);
      expect(short.expiresAt.getTime() - now.getTime()).toBe(12 * 3600 * 1000);
      expect(short.idleExpiresAt).toEqual(short.expiresAt);
      const long = evicting.deadlinesAt('customer', now, true);
      expect(long.expiresAt.getTime() - now.getTime()).toBe(90 * 86_400 * 1000);
    });

    it('ignores remember for other roles', () => {
      const now = at(0);
      expect(evicting.deadlinesAt('bartender', now, false)).toEqual(
        evicting.deadlinesAt('bartender', now, true),
      );
    });

    it('never moves the idle deadline past the absolute end', () => {
      const now = at(0);
      const expiresAt = new Date(now.getTime() + 10 * 60_000);
      expect(evicting.idleDeadline('admin', now, expiresAt)).toEqual(expiresAt);
    });

    it('reports a session over at either deadline', () => {
      const now = at(0);
      const later = new Date(now.getTime() + 60_000);
      const earlier = new Date(now.getTime() - 1);
      expect(evicting.isOver({ expiresAt: later, idleExpiresAt: later }, now)).toBe(false);
      expect(evicting.isOver({ expiresAt: later, idleExpiresAt: earlier }, now)).toBe(true);
      expect(evicting.isOver({ expiresAt: earlier, idleExpiresAt: later }, now)).toBe(true);
      expect(evicting.isOver({ expiresAt: now, idleExpiresAt: later }, now)).toBe(true);
    });
  });
});
