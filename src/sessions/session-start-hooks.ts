import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppName } from '../auth/auth-context.js';
import type { Role } from '../users/role.js';

/** A session just started for a user (by a sign-in, never by a refresh). */
export interface StartedSession {
  readonly sessionId: string;
  readonly userId: string;
  /** Null for guests. */
  readonly email: string | null;
  readonly name: string;
  readonly role: Role;
  readonly app: AppName;
  readonly device: string;
  readonly ip: string | null;
  readonly at: Date;
}

/** Runs in the transaction that starts the session (`manager` is that transaction's). */
export type SessionStartHook = (manager: EntityManager, started: StartedSession) => Promise<void>;

/**
 * Where other modules hook into the start of a session (a new-device notice, say), in the same
 * transaction: what they write commits iff the session does.
 */
@Injectable()
export class SessionStartHooks {
  private readonly hooks: SessionStartHook[] = [];

  /** Registers `hook` (at module init); it runs for every session started from then on. */
  add(hook: SessionStartHook): void {
    this.hooks.push(hook);
  }

  async started(manager: EntityManager, started: StartedSession): Promise<void> {
    for (const hook of this.hooks) await hook(manager, started);
  }
}
