import { describe, expect, it } from '@jest/globals';
import { ScriptedEventBus } from './scripted-event-bus.js';
import { UserScopedCache } from './user-scoped-cache.js';

interface Token {
  readonly owner: string;
  readonly name: string;
}

function cacheOf(limit = 100) {
  const bus = new ScriptedEventBus();
  const cache = new UserScopedCache<string, Token>(bus, (token) => token.owner, limit);
  const changed = (userId: string) => bus.publish({ type: 'user.changed', userId });
  return { bus, cache, changed };
}

describe('UserScopedCache', () => {
  it("drops every entry of a user on that user's change, and only theirs", async () => {
    const { cache, changed } = cacheOf();
    const epoch = cache.currentEpoch();
    cache.set('a1', { owner: 'alice', name: 'first' }, epoch);
    cache.set('a2', { owner: 'alice', name: 'second' }, epoch);
    cache.set('b1', { owner: 'bob', name: 'first' }, epoch);
    await changed('alice');
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1')?.name]).toEqual([
      undefined,
      undefined,
      'first',
    ]);
  });

  it('never caches a value read before its owner changed', async () => {
    const { cache, changed } = cacheOf();
    const readBefore = cache.currentEpoch();
    await changed('alice');
    cache.set('a1', { owner: 'alice', name: 'stale' }, readBefore);
    cache.set('b1', { owner: 'bob', name: 'fine' }, readBefore);
    expect(cache.get('a1')).toBeUndefined();
    expect(cache.get('b1')?.name).toBe('fine');
    cache.set('a1', { owner: 'alice', name: 'fresh' }, cache.currentEpoch());
    expect(cache.get('a1')?.name).toBe('fresh');
  });

  it('forgets everything and caches nothing while the bus is cut off', () => {
    const { bus, cache } = cacheOf();
    const readBefore = cache.currentEpoch();
    cache.set('a1', { owner: 'alice', name: 'kept' }, readBefore);
    bus.setConnected(false);
    expect(cache.get('a1')).toBeUndefined();
    cache.set('a1', { owner: 'alice', name: 'during' }, cache.currentEpoch());
    expect(cache.get('a1')).toBeUndefined();
    bus.setConnected(true);
    cache.set('a1', { owner: 'alice', name: 'read before the outage' }, readBefore);
    expect(cache.get('a1')).toBeUndefined();
    cache.set('a1', { owner: 'alice', name: 'after' }, cache.currentEpoch());
    expect(cache.get('a1')?.name).toBe('after');
  });

  it('evicts the oldest entry at its limit, and its owner index with it', async () => {
    const { cache, changed } = cacheOf(2);
    const epoch = cache.currentEpoch();
    cache.set('a1', { owner: 'alice', name: 'oldest' }, epoch);
    cache.set('b1', { owner: 'bob', name: 'b' }, epoch);
    cache.set('c1', { owner: 'carol', name: 'c' }, epoch);
    expect(cache.get('a1')).toBeUndefined();
    // Re-set under another owner: the old owner's change no longer touches it.
    cache.set('b1', { owner: 'dave', name: 'moved' }, cache.currentEpoch());
    await changed('bob');
    expect(cache.get('b1')?.name).toBe('moved');
  });

  it('refuses reads in flight when it forgets who changed when (more changes than its limit)', async () => {
    const { cache, changed } = cacheOf(3);
    const readBefore = cache.currentEpoch();
    await changed('alice');
    for (const user of ['u1', 'u2', 'u3']) await changed(user);
    // alice's change is forgotten by now, so nothing read before it may be cached.
    cache.set('a1', { owner: 'alice', name: 'stale' }, readBefore);
    expect(cache.get('a1')).toBeUndefined();
  });
});
