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
  private readonly unsubscribe: () => void;

  constructor(bus: EventBus) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'user.changed') this.views.delete(event.userId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  get(userId: string): UserView | undefined {
    return this.views.get(userId);
  }

  set(view: UserView): void {
    if (this.views.size >= LIMIT && !this.views.has(view.id)) {
      const oldest = this.views.keys().next();
      if (!oldest.done) this.views.delete(oldest.value);
    }
    this.views.set(view.id, view);
  }
}
