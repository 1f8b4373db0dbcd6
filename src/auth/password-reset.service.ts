import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppName } from './auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventOutbox } from '../events/event-outbox.js';
import { AccountLinks } from '../mail/account-links.js';
import { MailService } from '../mail/mail.service.js';
import { NewDeviceNotices } from '../mail/new-device-notices.js';
import { LoginThrottle } from '../rate-limit/login-throttle.js';
import { SecurityAudit } from '../sessions/session-audit.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccountRecoveryHooks } from '../users/account-recovery-hooks.js';
import { PasswordHasher } from '../users/password-hasher.js';
import type { Role } from '../users/role.js';
import { UsersService } from '../users/users.service.js';
import type { ClientInfo } from './auth.service.js';
import { assertAcceptablePassword } from './password-policy.js';

/** The app whose pages a user's mails link to: staff go to their own console. */
function appOf(role: Role): AppName {
  return role === 'admin' ? 'admin' : role === 'bartender' ? 'bartender' : 'customer';
}

function badToken(): AppError {
  const message =
    'This link is not valid any more: it was used, has expired, or the account changed since.';
  return new AppError(ErrorCode.VALIDATION_FAILED, message, [
    { field: 'token', errors: [message] },
  ]);
}

/**
 * Password reset by mail (contract: Mail), and the "sign out everywhere" link of new-device
 * notices.
 *
 * A request answers `202` as soon as it is counted against the limits: finding the account,
 * issuing the token and queueing the mail happen after the answer, so known and unknown emails
 * answer alike and in the same time. The limits count every request, known email or not.
 */
@Injectable()
export class PasswordResetService implements OnApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  /** Requests accepted and still being worked on (awaited at shutdown). */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly outbox: EventOutbox,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: SecurityAudit,
    private readonly throttle: LoginThrottle,
    private readonly mail: MailService,
    private readonly links: AccountLinks,
    private readonly devices: NewDeviceNotices,
    private readonly recovery: AccountRecoveryHooks,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** `POST /api/auth/password-reset`: counts the request, then works on it after answering. */
  async request(email: string, client: ClientInfo): Promise<void> {
    this.mail.assertAvailable();
    await this.throttle.assertPasswordResetAllowed(email, client.ip);
    const work = this.issue(email.trim(), client)
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Could not issue a password reset link');
      })
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Resolves once every accepted request has been worked on (for tests). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async issue(email: string, client: ClientInfo): Promise<void> {
    // Past the answer: nothing here can tell the caller whether the account exists.
    await new Promise((resolve) => setImmediate(resolve));
    const found = await this.users.findByEmail(email);
    if (!found?.active || found.email === null || found.role === 'guest') return;
    await this.outbox.transaction(async ({ manager }) => {
      const user = await this.users.lockById(found.id, manager);
      if (!user?.active || user.email === null) return;
      const token = await this.links.issue(manager, user.id, 'password_reset');
      const app = appOf(user.role);
      await this.audit.record(
        {
          type: 'password_reset_requested',
          userId: user.id,
          sessionId: null,
          ip: client.ip,
          details: { app },
        },
        manager,
      );
      await this.mail.enqueue(manager, {
        to: user.email,
        template: 'password_reset',
        payload: { name: user.name, app, sealedToken: this.mail.seal(token) },
      });
    });
  }

  /**
   * `POST /api/auth/password-reset/confirm`: spends the token and sets the password in one
   * transaction under the user's row lock; the credentials version moves (so a sign-in checked
   * against the old password cannot start a session after this, and every other link of the
   * user dies), every session ends (`password_reset`), the user's known devices are forgotten
   * and API tokens revoked, the change is audited and a confirmation mail queued.
   */
  async confirm(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    this.mail.assertAvailable();
    const link = await this.links.peek(token, 'password_reset');
    if (!link) throw badToken();
    const found = await this.users.findById(link.userId);
    if (!found?.active || found.email === null) throw badToken();
    // Checked before the token is spent: a password the rules refuse keeps the link usable.
    assertAcceptablePassword(newPassword, found.role, 'newPassword');
    this.hasher.assertRoom();
    const passwordHash = await this.hasher.hash(newPassword);
    await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const user = await this.users.lockById(link.userId, manager);
      if (!user?.active || user.email === null) throw badToken();
      // Of two confirmations racing with one token, one spends it; the other gets 400.
      const spent = await this.links.spend(manager, token, 'password_reset');
      if (spent?.userId !== user.id) throw badToken();
      // The role may have changed since the check (an admin's rules are stricter).
      assertAcceptablePassword(newPassword, user.role, 'newPassword');
      await this.links.spendAll(manager, user.id, 'password_reset');
      await this.users.setPasswordHash(user.id, passwordHash, manager);
      await this.audit.record(
        {
          type: 'password_reset',
          userId: user.id,
          sessionId: null,
          ip: client.ip,
          details: { app: appOf(user.role) },
        },
        manager,
      );
      await this.sessions.revokeUserSessionsInTransaction(tx, user.id, 'password_reset', {
        ip: client.ip,
      });
      // Whoever else was in: their device is not "known" any more, their API tokens go.
      await this.devices.forgetDevices(manager, user.id);
      await this.recovery.recovered(tx, user.id, 'password_reset');
      await this.mail.enqueue(manager, {
        to: user.email,
        template: 'password_reset_done',
        payload: { name: user.name, app: appOf(user.role) },
      });
    });
  }

  /**
   * `POST /api/auth/sign-out-everywhere`: with the single-use link of a new-device notice, ends
   * every session of its user (`logout_all`), forgets the user's known devices (the next sign-in
   * from any of them is notified) and revokes their API tokens, audited as
   * `signed_out_everywhere`. A link issued before the user's credentials changed is void.
   */
  async signOutEverywhere(token: string, client: ClientInfo): Promise<void> {
    const link = await this.links.peek(token, 'sign_out_everywhere');
    if (!link) throw badToken();
    await this.outbox.transaction(async (tx) => {
      // The user's row first, then the token: the order every other path takes.
      const user = await this.users.lockById(link.userId, tx.manager);
      if (!user) throw badToken();
      const spent = await this.links.spend(tx.manager, token, 'sign_out_everywhere');
      if (spent?.userId !== user.id) throw badToken();
      const revoked = await this.sessions.revokeUserSessionsInTransaction(
        tx,
        user.id,
        'logout_all',
        { ip: client.ip },
      );
      await this.audit.record(
        {
          type: 'signed_out_everywhere',
          userId: user.id,
          sessionId: null,
          ip: client.ip,
          details: { sessions: revoked.length },
        },
        tx.manager,
      );
      await this.devices.forgetDevices(tx.manager, user.id);
      await this.recovery.recovered(tx, user.id, 'signed_out_everywhere');
    });
  }
}
