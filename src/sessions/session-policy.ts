import type { RoleSessionConfig, SessionsConfig } from '../config/app-config.js';
import type { Role } from '../users/role.js';

/** An active session as the cap sees it. */
export interface ActiveSessionSummary {
  readonly id: string;
  readonly lastActiveAt: Date;
}

export type Admission =
  /** The login may go ahead after these sessions (possibly none) are revoked as `evicted`. */
  | { readonly admitted: true; readonly evict: readonly string[] }
  /** The cap is reached and the mode is `deny_new`. */
  | { readonly admitted: false };

export interface SessionDeadlines {
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
}

/**
 * The per-role session rules (cap per app, idle timeout, absolute lifetime), built from
 * configuration. Pure: no clock or database of its own, so it is unit-tested on its own.
 */
export class SessionPolicy {
  constructor(private readonly config: SessionsConfig) {}

  forRole(role: Role): RoleSessionConfig {
    return this.config.roles[role];
  }

  /**
   * Decides whether one more session of this role may start in an app that already has
   * `active` sessions, and which ones make room for it (least recently active first).
   */
  admit(role: Role, active: readonly ActiveSessionSummary[]): Admission {
    const max = this.forRole(role).maxPerApp;
    const excess = active.length + 1 - max;
    if (excess <= 0) return { admitted: true, evict: [] };
    if (this.config.limitMode === 'deny_new') return { admitted: false };
    const oldestFirst = [...active].sort(
      (a, b) => a.lastActiveAt.getTime() - b.lastActiveAt.getTime() || a.id.localeCompare(b.id),
    );
    return { admitted: true, evict: oldestFirst.slice(0, excess).map((session) => session.id) };
  }

  /**
   * Deadlines of a session that starts at `now`. A customer who did not ask to be remembered
   * gets the short absolute lifetime (never longer than the ordinary one).
   */
  deadlinesAt(role: Role, now: Date, remember = true): SessionDeadlines {
    const { absoluteSeconds } = this.forRole(role);
    const lifetime =
      !remember && role === 'customer'
        ? Math.min(absoluteSeconds, this.config.customerShortAbsoluteSeconds)
        : absoluteSeconds;
    const expiresAt = new Date(now.getTime() + lifetime * 1000);
    return { expiresAt, idleExpiresAt: this.idleDeadline(role, now, expiresAt) };
  }

  /** The new idle deadline after activity at `now`; never past the absolute end. */
  idleDeadline(role: Role, now: Date, expiresAt: Date): Date {
    const idle = now.getTime() + this.forRole(role).idleSeconds * 1000;
    return new Date(Math.min(idle, expiresAt.getTime()));
  }

  /** Whether a session with these deadlines can no longer refresh at `now`. */
  isOver(deadlines: SessionDeadlines, now: Date): boolean {
    const at = now.getTime();
    return at >= deadlines.expiresAt.getTime() || at >= deadlines.idleExpiresAt.getTime();
  }
}
