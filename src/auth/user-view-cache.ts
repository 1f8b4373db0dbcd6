import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventBus } from '../events/event-bus.js';
import type { UserView } from '../users/user-view.js';

const LIMIT = 50_000;

/**
 * Per-instance cache of user views, so `GET /api/auth/me` needs no query. Entries are dropped
 * on `user.changed` (published by whoever changes a user, on every instance through the bus).
 */
@Injectable()
export class UserViewCache implements OnModuleDestroy {
  private readonly views = new Map<string, UserView>();
  /** Bumped on every change, so a view read before a change is never cached after it. */
  private epoch = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;
  /** Views read before this epoch are not cached (the bus was cut off since). */
  private clearedAtEpoch = 0;
  private connected = true;

  constructor(bus: EventBus) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type !== 'user.changed') return;
      this.epoch += 1;
      this.views.delete(event.userId);
      if (this.changedAt.size >= LIMIT) this.changedAt.clear();
      this.changedAt.set(event.userId, this.epoch);
    });
    // While the bus is cut off, changes made on other instances go unheard (user.changed is not
    // in the event log): forget every view, and cache nothing until the bus is back.
    this.unwatch = bus.onConnectivityChange((connected) => {
      this.connected = connected;
      this.epoch += 1;
      this.clearedAtEpoch = this.epoch;
      this.views.clear();
    });
  }

  /** Take before reading a user from the database; pass to {@link set} with the view. */
  currentEpoch(): number {
    return this.epoch;
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.unwatch();
  }

  get(userId: string): UserView | undefined {
    return this.views.get(userId);
  }

  /** Caches a view read at `readEpoch`, unless the user changed after that read. */
  set(view: UserView, readEpoch: number): void {
    if (!this.connected || readEpoch < this.clearedAtEpoch) return;
    if ((this.changedAt.get(view.id) ?? 0) > readEpoch) return;
    if (this.views.size >= LIMIT && !this.views.has(view.id)) {
      const oldest = this.views.keys().next();
      if (!oldest.done) this.views.delete(oldest.value);
    }
    this.views.set(view.id, view);
  }
}
