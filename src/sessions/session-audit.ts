import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { SignInView } from '../audit/sign-in-view.js';
import { deviceLabel } from './device-label.js';

/** A security event of the auth and sessions modules, as the audit log records it. */
export interface SecurityEvent {
  readonly type:
    | 'login_succeeded'
    | 'login_failed'
    | 'login_denied'
    | 'refresh_reused'
    | 'session_revoked'
    | 'password_changed'
    | 'password_reset_requested'
    | 'password_reset'
    | 'signed_out_everywhere'
    | 'user_created'
    | 'two_factor_recovery_code_used';
  readonly userId: string | null;
  readonly sessionId: string | null;
  readonly ip: string | null;
  readonly details?: Record<string, unknown>;
}

/** A refused password or code check, as `SecurityAudit.loginFailed` records it. */
export interface FailedCheck {
  readonly userId: string | null;
  readonly sessionId: string | null;
  /** The canonical (or, for an unknown account, auditable) email the attempt named. */
  readonly email: string | null;
  /** What was being checked, and what was wrong: `{reason: "totp", kind: "code"}`. */
  readonly details?: Record<string, unknown>;
}

/**
 * The single place where auth and sessions hand security events to the audit log. Pass the
 * transaction's `manager` so the entry commits with the change. Never put passwords or tokens
 * in details.
 */
@Injectable()
export class SecurityAudit {
  constructor(private readonly audit: AuditService) {}

  record(event: SecurityEvent, manager?: EntityManager): Promise<void> {
    return this.audit.record(event, manager);
  }

  /** A failed sign-in or password check, with the device it came from. */
  loginFailed(client: { ip: string | null; userAgent: string | undefined }, check: FailedCheck) {
    return this.record({
      type: 'login_failed',
      userId: check.userId,
      sessionId: check.sessionId,
      ip: client.ip,
      details: { email: check.email, ...check.details, device: deviceLabel(client.userAgent) },
    });
  }

  /** The user's last 50 sign-in attempts, succeeded or failed, newest first. */
  recentSignIns(userId: string): Promise<SignInView[]> {
    return this.audit.recentSignIns(userId);
  }
}
