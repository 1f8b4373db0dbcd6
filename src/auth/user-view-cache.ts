import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventBus } from '../events/event-bus.js';
import { UserScopedCache } from '../events/user-scoped-cache.js';
import type { UserView } from '../users/user-view.js';

const LIMIT = 50_000;

/**
 * Per-instance cache of user views, so `GET /api/auth/me` needs no query. Entries are dropped
 * on `user.changed` (published by whoever changes a user, on every instance through the bus).
 */
@Injectable()
export class UserViewCache implements OnModuleDestroy {
  private readonly views: UserScopedCache<string, UserView>;

  constructor(bus: EventBus) {
    this.views = new UserScopedCache(bus, (view) => view.id, LIMIT);
  }

  /** Take before reading a user from the database; pass to {@link set} with the view. */
  currentEpoch(): number {
    return this.views.currentEpoch();
  }

  onModuleDestroy(): void {
    this.views.close();
  }

  get(userId: string): UserView | undefined {
    return this.views.get(userId);
  }

  /** Caches a view read at `readEpoch`, unless the user changed after that read. */
  set(view: UserView, readEpoch: number): void {
    this.views.set(view.id, view, readEpoch);
  }
}
