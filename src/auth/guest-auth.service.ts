import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventOutbox } from '../events/event-outbox.js';
import { LoginThrottle } from '../rate-limit/login-throttle.js';
import { SecurityAudit } from '../sessions/session-audit.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TablesService } from '../tables/tables.service.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { toUserView } from '../users/user-view.js';
import { UsersService } from '../users/users.service.js';
import type { AuthContext } from './auth-context.js';
import type { ClientInfo } from './auth.service.js';
import type { GuestStartDto, GuestUpgradeDto } from './dto/auth-requests.dto.js';
import type { TokenResponseDto } from './dto/auth-responses.dto.js';
import { type IssuedTokens, issueTokens } from './issued-tokens.js';
import { assertAcceptablePassword } from './password-policy.js';
import { TokenService } from './token.service.js';
import { UserViewCache } from './user-view-cache.js';

/**
 * Guests: people seated at a table by its QR code, who order without an account. Each guest
 * session is a user of its own (role `guest`, no email or password, bound to the table), so
 * everything that works per user (orders, limits, sessions, events) works for guests too; an
 * upgrade fills in email, name and password in place, keeping the user, its orders and its
 * session.
 */
@Injectable()
export class GuestAuthService {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly userViews: UserViewCache,
    private readonly audit: SecurityAudit,
    private readonly throttle: LoginThrottle,
    private readonly tables: TablesService,
  ) {}

  /**
   * Seats a new guest at the table the token names and starts their session in the customer
   * app. Counted against the per-IP limit of new guests before anything else (an unknown token
   * too, so the limit also slows down guessing); an unknown, rotated or deleted table's token is
   * `TABLE_UNKNOWN`.
   */
  async start(dto: GuestStartDto, client: ClientInfo): Promise<IssuedTokens> {
    await this.throttle.assertGuestStartAllowed(client.ip);
    const table = await this.tables.resolve(dto.tableToken);
    const readEpoch = this.userViews.currentEpoch();
    // A guest whose session then fails to start is left without one: nothing can use it, and it
    // goes with the other guests that have no sessions and no orders (see docs/api.md).
    const guest = await this.users.insertGuest(table.number);
    const issued = await this.sessions.start({
      userId: guest.id,
      role: 'guest',
      credentialsVersion: guest.credentialsVersion,
      app: 'customer',
      userAgent: client.userAgent,
      ip: client.ip,
      remember: true,
    });
    const view = toUserView(guest);
    this.userViews.set(view, readEpoch);
    return issueTokens(this.tokens, view, issued, dto.refreshTransport ?? 'cookie');
  }

  /**
   * Turns the calling guest into a customer in place: same user id (their orders stay theirs),
   * same session (its id, refresh token and deadlines stay; it refreshes as a customer's from
   * now on). Answers with a new access token, whose role is `customer`; the refresh token is
   * unchanged, so none is sent. The password follows the customer policy; an email in use is
   * `EMAIL_TAKEN`, and the guest then stays a guest.
   */
  async upgrade(
    auth: AuthContext,
    dto: GuestUpgradeDto,
    client: ClientInfo,
  ): Promise<TokenResponseDto> {
    assertAcceptablePassword(dto.password, 'customer');
    this.hasher.assertRoom();
    // Hashing is slow: done before the transaction so it holds no connection meanwhile.
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const current = await this.users.lockById(auth.userId, manager);
      if (!current?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
      // An access token issued before an upgrade still says guest until it expires.
      if (current.role !== 'guest') {
        throw new AppError(ErrorCode.FORBIDDEN, 'This account is a customer account already.');
      }
      await this.sessions.assertActive(auth.sessionId, manager);
      const upgraded = await this.users.upgradeGuest(
        auth.userId,
        { email: dto.email, name: dto.name, passwordHash },
        manager,
      );
      if (!upgraded) throw new AppError(ErrorCode.SESSION_REVOKED);
      await this.sessions.adoptRole(manager, auth.userId, upgraded.role);
      await this.audit.record(
        {
          type: 'user_created',
          userId: upgraded.id,
          sessionId: auth.sessionId,
          ip: client.ip,
          details: { email: upgraded.email, role: upgraded.role, upgradedFromGuest: true },
        },
        manager,
      );
      // Every instance drops its cached view of the user: `me` says customer at once.
      tx.emit({ type: 'user.changed', userId: upgraded.id });
      return upgraded;
    });
    const session = await this.sessions.summary(auth.sessionId);
    const view = toUserView(user);
    const access = this.tokens.sign(
      {
        userId: user.id,
        sessionId: session.id,
        role: user.role,
        app: session.app,
        twoFactorEnabled: user.twoFactorEnabled,
      },
      new Date(session.expiresAt),
    );
    return {
      tokenType: 'Bearer',
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      twoFactorSetupOnly: access.setupOnly,
      user: view,
      session,
    };
  }
}
