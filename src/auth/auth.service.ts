import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { SignInView } from '../audit/sign-in-view.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventOutbox } from '../events/event-outbox.js';
import { SecurityAudit } from '../sessions/session-audit.js';
import type { SessionSummary } from '../sessions/session-view.js';
import { type IssuedSession, SessionsService } from '../sessions/sessions.service.js';
import { LoginThrottle, checkAttempt } from '../rate-limit/login-throttle.js';
import { SignInChallenges, deadChallenge } from '../two-factor/sign-in-challenges.js';
import { TwoFactorService } from '../two-factor/two-factor.service.js';
import { auditableEmail } from '../users/canonical-email.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { type UserView, toUserView } from '../users/user-view.js';
import { UsersService } from '../users/users.service.js';
import { mayUseApp } from './app-access.js';
import { APPS, type AppName, type AuthContext } from './auth-context.js';
import type { LoginTwoFactorDto } from '../two-factor/dto/two-factor.dto.js';
import type {
  ChangePasswordDto,
  LoginDto,
  RefreshDto,
  RefreshTransport,
  RegisterDto,
} from './dto/auth-requests.dto.js';
import { assertAcceptablePassword } from './password-policy.js';
import { type IssuedTokens, issueTokens } from './issued-tokens.js';
import { TokenService } from './token.service.js';
import { UserViewCache } from './user-view-cache.js';

/** Where a request came from, for sessions and the audit log. */
export interface ClientInfo {
  readonly ip: string | null;
  readonly userAgent: string | undefined;
}

/** What a sign-out request carries that can name its session. */
export interface LogoutRequest {
  /** The bearer token of the `Authorization` header, if any. */
  readonly bearer: string | undefined;
  readonly app: AppName | undefined;
  /** A refresh token sent in the body. */
  readonly refreshToken: string | undefined;
  /** The `rt_<app>` cookies the request carries. */
  readonly cookies: Partial<Record<AppName, string>>;
}

/** `GET /api/auth/me`'s answer. */
interface MeAnswer {
  user: UserView;
  session: SessionSummary;
  twoFactorSetupOnly: boolean;
}

function meAnswer(auth: AuthContext, user: UserView, session: SessionSummary): MeAnswer {
  return { user, session, twoFactorSetupOnly: auth.setupOnly === true };
}

function appMismatch(): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, 'app names another app than the session.', [
    { field: 'app', errors: ['app does not match the session being signed out'] },
  ]);
}

/** Sign-up, sign-in, token refresh, `me` and password changes. */
@Injectable()
export class AuthService implements OnModuleInit {
  /** Checked against for unknown emails, so they take as long as a wrong password. */
  private dummyHash = '';

  constructor(
    private readonly outbox: EventOutbox,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly userViews: UserViewCache,
    private readonly audit: SecurityAudit,
    private readonly loginThrottle: LoginThrottle,
    private readonly twoFactor: TwoFactorService,
    private readonly challenges: SignInChallenges,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(randomBytes(24).toString('base64url'));
  }

  /** Creates a customer account, audited as `user_created` with the account. */
  async register(dto: RegisterDto, client: ClientInfo): Promise<{ user: UserView }> {
    assertAcceptablePassword(dto.password, 'customer');
    // Hashing is slow: done before the transaction so it holds no connection meanwhile.
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.outbox.transaction(async ({ manager }) => {
      const created = await this.users.insert(
        { email: dto.email, name: dto.name, role: 'customer', passwordHash },
        manager,
      );
      await this.audit.record(
        {
          type: 'user_created',
          userId: created.id,
          sessionId: null,
          ip: client.ip,
          details: { email: created.email, role: created.role, selfRegistered: true },
        },
        manager,
      );
      return created;
    });
    return { user: toUserView(user) };
  }

  /**
   * Checks the password (unknown emails against a dummy hash, so both fail alike), then the
   * role's access to the app, then starts a session under the role's cap.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<IssuedTokens> {
    const email = dto.email.trim();
    // 503 before any work when the password checks are backed up (a login storm).
    this.hasher.assertRoom();
    // 429 before any work when this email, address or account used up its failures.
    const attempt = await this.loginThrottle.begin(email, client.ip);
    const readEpoch = this.userViews.currentEpoch();
    const { user, matches } = await checkAttempt(attempt, async () => {
      const found = await this.users.findByEmail(email);
      const hash = found?.passwordHash ?? this.dummyHash;
      return { user: found, matches: await this.hasher.verify(hash, dto.password) };
    });
    if (!user || !matches) {
      await attempt.failed();
      await this.audit.loginFailed(client, {
        userId: user?.id ?? null,
        sessionId: null,
        email: auditableEmail(email),
        details: { app: dto.app },
      });
      throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    }
    await attempt.succeeded();
    // Only now, after the right password, may the answer tell more about the account.
    const refusal = !user.active
      ? ErrorCode.ACCOUNT_DISABLED
      : !mayUseApp(user.role, dto.app)
        ? ErrorCode.ROLE_NOT_ALLOWED
        : undefined;
    if (refusal !== undefined) {
      await this.audit.record({
        type: 'login_denied',
        userId: user.id,
        sessionId: null,
        ip: client.ip,
        details: { app: dto.app, code: refusal },
      });
      throw new AppError(refusal);
    }
    // "Keep me signed in" is the customer app's choice; staff apps ignore it.
    const remember = dto.app !== 'customer' || dto.remember !== false;
    const refreshTransport = dto.refreshTransport ?? 'cookie';
    if (user.twoFactorEnabled) {
      // The password was right: the code step follows, carrying what this login asked for.
      const { challenge, expiresAt } = await this.challenges.issue({
        userId: user.id,
        app: dto.app,
        ip: client.ip,
        credentialsVersion: user.credentialsVersion,
        refreshTransport,
        remember,
      });
      throw new AppError(
        ErrorCode.TOTP_REQUIRED,
        'Enter the 6-digit code from your authenticator app.',
        { challenge, expiresAt: expiresAt.toISOString() },
      );
    }
    const issued = await this.sessions.start({
      userId: user.id,
      role: user.role,
      credentialsVersion: user.credentialsVersion,
      app: dto.app,
      userAgent: client.userAgent,
      ip: client.ip,
      remember,
    });
    const view = toUserView(user);
    this.userViews.set(view, readEpoch);
    return this.tokensFor(view, issued, refreshTransport);
  }

  /**
   * The code step of a sign-in: the challenge of `401 TOTP_REQUIRED` (live, this app, this
   * address) and a code or a recovery code. Each code tried counts as a sign-in attempt before it
   * is checked (the password limits) and on the challenge (5, then it is dead); a wrong one is a
   * failed sign-in. The session starts with the credentials version the password check read, so
   * a password, role, activity or two-factor change since then wins.
   */
  async loginSecondFactor(dto: LoginTwoFactorDto, client: ClientInfo): Promise<IssuedTokens> {
    const factors = [dto.code, dto.recoveryCode].filter((value) => value !== undefined);
    if (factors.length !== 1) {
      const message = 'Send either code or recoveryCode.';
      throw new AppError(ErrorCode.VALIDATION_FAILED, message, [
        { field: 'code', errors: [message] },
      ]);
    }
    const challenge = await this.challenges.find(dto.challenge, dto.app, client.ip);
    const readEpoch = this.userViews.currentEpoch();
    const user = await this.users.findById(challenge.userId);
    if (!user?.email) throw deadChallenge();
    const attempt = await this.loginThrottle.begin(user.email, client.ip, {
      userId: user.id,
      kind: 'totp',
    });
    const attemptsLeft = await checkAttempt(attempt, () =>
      this.challenges.countAttempt(challenge.id),
    );
    const used = await checkAttempt(attempt, () =>
      this.twoFactor.verify(user.id, { code: dto.code?.trim(), recoveryCode: dto.recoveryCode }),
    );
    if (used === undefined) {
      await attempt.failed();
      await this.audit.loginFailed(client, {
        userId: user.id,
        sessionId: null,
        email: user.emailCanonical,
        details: {
          app: challenge.app,
          reason: 'totp',
          kind: dto.recoveryCode === undefined ? 'code' : 'recovery_code',
        },
      });
      throw new AppError(
        ErrorCode.TOTP_INVALID,
        attemptsLeft > 0
          ? undefined
          : 'That code is not right, and this sign-in is over: enter your password again.',
        { attemptsLeft },
      );
    }
    await attempt.succeeded();
    await this.challenges.consume(challenge.id);
    if (used === 'recovery') {
      await this.audit.record({
        type: 'two_factor_recovery_code_used',
        userId: user.id,
        sessionId: null,
        ip: client.ip,
        details: {
          app: challenge.app,
          remaining: await this.twoFactor.recoveryCodesLeft(user.id),
        },
      });
    }
    const issued = await this.sessions.start({
      userId: user.id,
      role: user.role,
      credentialsVersion: challenge.credentialsVersion,
      app: challenge.app,
      userAgent: client.userAgent,
      ip: client.ip,
      remember: challenge.remember,
    });
    const view = toUserView(user);
    this.userViews.set(view, readEpoch);
    return this.tokensFor(view, issued, challenge.refreshTransport);
  }

  /** Rotates the refresh token (from the body, else the app's cookie). */
  async refresh(
    dto: RefreshDto,
    cookieToken: string | undefined,
    client: ClientInfo,
  ): Promise<IssuedTokens> {
    const token = dto.refreshToken ?? cookieToken;
    if (token === undefined) throw new AppError(ErrorCode.REFRESH_INVALID);
    const readEpoch = this.userViews.currentEpoch();
    const issued = await this.sessions.refresh(token, dto.app, client.ip);
    const view = toUserView(issued.user);
    this.userViews.set(view, readEpoch);
    // The new token goes back the way the old one came: one read from the HttpOnly cookie must
    // never reach page script, whatever `refreshTransport` asks.
    const transport = dto.refreshToken === undefined ? 'cookie' : (dto.refreshTransport ?? 'body');
    return this.tokensFor(view, issued, transport);
  }

  /**
   * The caller and their session; from per-instance caches, so normally without a query, and
   * then at once (no promise: every promise costs the request-id context's hooks).
   */
  me(auth: AuthContext): MeAnswer | Promise<MeAnswer> {
    const user = this.userViews.get(auth.userId);
    if (!user) return this.meFromDatabase(auth);
    const session = this.sessions.summary(auth.sessionId);
    if (session instanceof Promise) return session.then((loaded) => meAnswer(auth, user, loaded));
    return meAnswer(auth, user, session);
  }

  private async meFromDatabase(auth: AuthContext): Promise<MeAnswer> {
    const readEpoch = this.userViews.currentEpoch();
    const entity = await this.users.findById(auth.userId);
    if (!entity?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
    const user = toUserView(entity);
    this.userViews.set(user, readEpoch);
    return meAnswer(auth, user, await this.sessions.summary(auth.sessionId));
  }

  /**
   * Ends the session a sign-out names: the bearer token's (even an expired one: its signature
   * still proves the session), else the refresh token's, from the body or from the cookie of
   * `app`. Idempotent: nothing to end is not an error, but a request that could mean several
   * sessions (no usable bearer, several `rt_` cookies, no `app`) is refused rather than answered
   * 204 with every session still alive. Returns the app whose cookie to clear, when known.
   */
  async logout(request: LogoutRequest, client: ClientInfo): Promise<AppName | undefined> {
    const auth =
      request.bearer === undefined
        ? undefined
        : this.tokens.verify(request.bearer, { ignoreExpiration: true });
    if (auth) {
      if (request.app !== undefined && request.app !== auth.app) throw appMismatch();
      await this.sessions.revokeSession(auth.sessionId, 'logout', { ip: client.ip });
      return auth.app;
    }
    let app = request.app;
    let refreshToken = request.refreshToken;
    if (refreshToken === undefined) {
      const present = APPS.filter((name) => request.cookies[name] !== undefined);
      if (app === undefined && present.length > 1) {
        throw new AppError(
          ErrorCode.VALIDATION_FAILED,
          'Several apps are signed in here: name the app to sign out of.',
          [{ field: 'app', errors: ['app is required when several rt_ cookies are sent'] }],
        );
      }
      app ??= present[0];
      refreshToken = app === undefined ? undefined : request.cookies[app];
    }
    const session =
      refreshToken === undefined
        ? undefined
        : await this.sessions.identifyByRefreshToken(refreshToken);
    if (session) {
      if (app !== undefined && app !== session.app) throw appMismatch();
      await this.sessions.revokeSession(session.sessionId, 'logout', { ip: client.ip });
    }
    return app ?? session?.app;
  }

  /** Ends every session of the caller, or every other one with `keepCurrent`. */
  async logoutAll(auth: AuthContext, keepCurrent: boolean, client: ClientInfo): Promise<void> {
    await this.sessions.revokeUserSessions(auth.userId, 'logout_all', {
      exceptSessionId: keepCurrent ? auth.sessionId : undefined,
      ip: client.ip,
    });
  }

  /** The caller's last 50 sign-in attempts (from the audit log), newest first. */
  signIns(auth: AuthContext): Promise<SignInView[]> {
    return this.audit.recentSignIns(auth.userId);
  }

  /** Sets a new password and ends every other session of the user. */
  async changePassword(
    auth: AuthContext,
    dto: ChangePasswordDto,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.users.findById(auth.userId);
    if (!user?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
    if (user.email === null || user.passwordHash === null) {
      // A guest (the route refuses them already): no password to change until they upgrade.
      throw new AppError(ErrorCode.FORBIDDEN, 'A guest has no password; create an account first.');
    }
    const { email, passwordHash: currentHash } = user;
    this.hasher.assertRoom();
    // A wrong current password counts as a failed sign-in of the account.
    const attempt = await this.loginThrottle.begin(email, client.ip, {
      userId: user.id,
      kind: 'change_password',
    });
    const matches = await checkAttempt(attempt, () =>
      this.hasher.verify(currentHash, dto.currentPassword),
    );
    if (!matches) {
      await attempt.failed();
      await this.audit.loginFailed(client, {
        userId: user.id,
        sessionId: auth.sessionId,
        email: user.emailCanonical,
        details: { reason: 'change_password' },
      });
      throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'The current password is wrong.');
    }
    await attempt.succeeded();
    assertAcceptablePassword(dto.newPassword, user.role, 'newPassword');
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const current = await this.users.lockById(user.id, manager);
      if (!current?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
      // Checked against a password (or role, or activity) that has changed since: it proves
      // nothing now (two changes racing with the same current password: one wins).
      if (current.credentialsVersion !== user.credentialsVersion) {
        throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'The current password is wrong.');
      }
      // Ended meanwhile (by an admin, say): the password stays as it was.
      await this.sessions.assertActive(auth.sessionId, manager);
      await this.users.setPasswordHash(user.id, passwordHash, manager);
      await this.audit.record(
        { type: 'password_changed', userId: user.id, sessionId: auth.sessionId, ip: client.ip },
        manager,
      );
      await this.sessions.revokeUserSessionsInTransaction(tx, user.id, 'password_changed', {
        exceptSessionId: auth.sessionId,
        ip: client.ip,
      });
    });
  }

  private tokensFor(
    user: UserView,
    issued: IssuedSession,
    transport: RefreshTransport,
  ): IssuedTokens {
    return issueTokens(this.tokens, user, issued, transport);
  }
}
