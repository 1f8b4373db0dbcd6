import type { EventBus } from './event-bus.js';

/**
 * A per-instance cache of values that belong to a user (the user's view, the user's API tokens),
 * kept true by the bus: every `user.changed` drops the user's entries, on every instance.
 *
 * A value read from the database before a change must never be cached after it, or an instance
 * would serve a revoked token or an old name until the entry ages out. So reads are stamped: take
 * {@link currentEpoch} before reading, pass it to {@link set}, and the value is dropped if its
 * owner changed (or the bus was cut off) in between.
 *
 * While the bus is cut off from the other instances, their changes go unheard: everything is
 * forgotten, and nothing is cached until it is back (callers then read the database every time).
 */
export class UserScopedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private readonly keysByOwner = new Map<string, Set<K>>();
  /** Bumped on every change and connectivity change. */
  private epoch = 0;
  /** The epoch of each owner's last change (forgotten in bulk, see {@link noteChange}). */
  private readonly changedAt = new Map<string, number>();
  /** Values read before this epoch are not cached. */
  private clearedAtEpoch = 0;
  private connected = true;
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;

  constructor(
    bus: EventBus,
    private readonly ownerOf: (value: V) => string,
    private readonly limit: number,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'user.changed') this.forgetOwner(event.userId);
    });
    this.unwatch = bus.onConnectivityChange((connected) => {
      this.connected = connected;
      this.clear();
    });
  }

  /** Stops listening to the bus. */
  close(): void {
    this.unsubscribe();
    this.unwatch();
  }

  /** Take before reading from the database; pass to {@link set} with what was read. */
  currentEpoch(): number {
    return this.epoch;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Caches `value` read at `readEpoch`, unless its owner changed or the bus dropped since. */
  set(key: K, value: V, readEpoch: number): void {
    if (!this.connected || readEpoch < this.clearedAtEpoch) return;
    const owner = this.ownerOf(value);
    if ((this.changedAt.get(owner) ?? 0) > readEpoch) return;
    this.delete(key);
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    this.entries.set(key, value);
    const keys = this.keysByOwner.get(owner);
    if (keys) keys.add(key);
    else this.keysByOwner.set(owner, new Set([key]));
  }

  delete(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    const owner = this.ownerOf(value);
    const keys = this.keysByOwner.get(owner);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByOwner.delete(owner);
  }

  private forgetOwner(owner: string): void {
    this.epoch += 1;
    this.noteChange(owner);
    for (const key of this.keysByOwner.get(owner) ?? []) this.entries.delete(key);
    this.keysByOwner.delete(owner);
  }

  private noteChange(owner: string): void {
    if (this.changedAt.size >= this.limit) {
      // Forgetting who changed when would let a read from before one of those changes in:
      // refuse every read in flight instead.
      this.changedAt.clear();
      this.clearedAtEpoch = this.epoch;
    }
    this.changedAt.set(owner, this.epoch);
  }

  private clear(): void {
    this.epoch += 1;
    this.clearedAtEpoch = this.epoch;
    this.entries.clear();
    this.keysByOwner.clear();
  }
}
