import { Injectable } from '@nestjs/common';
import type { EventTransaction } from '../events/event-outbox.js';

/** How a user stopped being an active admin. */
export type AdminAccessLoss = 'deactivated' | 'demoted';

/**
 * Runs when a user stops being an active admin, in the transaction of that change (`tx` is that
 * unit of work's): what other modules grant only to admins goes with it, in the same commit.
 */
export type AdminAccessLostHook = (
  tx: EventTransaction,
  userId: string,
  how: AdminAccessLoss,
) => Promise<void>;

/**
 * Where other modules hook into an admin losing their access (API tokens are revoked there),
 * without the users module knowing them.
 */
@Injectable()
export class AdminAccessHooks {
  private readonly hooks: AdminAccessLostHook[] = [];

  /** Registers `hook` (at module init); it runs for every such change from then on. */
  add(hook: AdminAccessLostHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook for `userId`, who just lost admin access in `tx`. */
  async lost(tx: EventTransaction, userId: string, how: AdminAccessLoss): Promise<void> {
    for (const hook of this.hooks) await hook(tx, userId, how);
  }
}
