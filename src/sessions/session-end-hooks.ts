import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Cleans up what belongs to sessions that have just ended, in the transaction that ends them
 * (`manager` is that transaction's).
 */
export type SessionEndHook = (
  manager: EntityManager,
  sessionIds: readonly string[],
) => Promise<void>;

/**
 * Where other modules hook into the end of a session (every revocation reason, expiry
 * included), so that what they keep per session goes with it, in the same transaction. Rows
 * that reference `sessions` with `ON DELETE CASCADE` also go when the session row is deleted.
 */
@Injectable()
export class SessionEndHooks {
  private readonly hooks: SessionEndHook[] = [];

  /** Registers `hook` (at module init); it runs for every revocation from then on. */
  add(hook: SessionEndHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook for `sessionIds` (revoked in the transaction of `manager`). */
  async ended(manager: EntityManager, sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    for (const hook of this.hooks) await hook(manager, sessionIds);
  }
}
