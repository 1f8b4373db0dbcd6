import { Injectable } from '@nestjs/common';
import type { EventTransaction } from '../events/event-outbox.js';

/** How a user took their account back from whoever else may hold it. */
export type AccountRecovery = 'password_reset' | 'signed_out_everywhere';

/**
 * Runs when a user completes a password reset or a "sign out everywhere" link, in the
 * transaction of that change (`tx` is that unit of work's).
 */
export type AccountRecoveryHook = (
  tx: EventTransaction,
  userId: string,
  how: AccountRecovery,
) => Promise<void>;

/**
 * Where other modules hook into an account recovery (API tokens are revoked there: an intruder
 * may have made one), without the module that runs the recovery knowing them.
 */
@Injectable()
export class AccountRecoveryHooks {
  private readonly hooks: AccountRecoveryHook[] = [];

  /** Registers `hook` (at module init); it runs for every recovery from then on. */
  add(hook: AccountRecoveryHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook for `userId`, who just recovered their account in `tx`. */
  async recovered(tx: EventTransaction, userId: string, how: AccountRecovery): Promise<void> {
    for (const hook of this.hooks) await hook(tx, userId, how);
  }
}
