import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { RevocationRegistry } from '../sessions/revocation-registry.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Role } from '../users/role.js';
import type { AuthContext } from './auth-context.js';
import { type AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators.js';
import { MAX_TOKEN_LENGTH, TokenService } from './token.service.js';

const ADMIN_PREFIX = '/api/admin/';
const TOO_LARGE = MAX_TOKEN_LENGTH + 'Bearer '.length;

/**
 * The one place that decides who may call what. Every route needs a valid access token unless
 * it is `@Public()` (verified by {@link TokenService.authenticate}: our key id and algorithm,
 * signature, issuer, audience, expiry, claims); then: the session must not be revoked
 * (in-memory set, no query; the database while the event bus is cut off), routes under
 * `/api/admin/` need a token of the admin app, and `@Roles(...)` restricts by role.
 *
 * It calls jsonwebtoken (through `@nestjs/jwt`) directly rather than through passport-jwt:
 * same checks, without passport's per-request strategy object and callbacks.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly revocations: RevocationRegistry,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) {
      this.recognise(request);
      return true;
    }
    const header = request.headers.authorization;
    if (header !== undefined && header.length > TOO_LARGE) {
      throw new AppError(ErrorCode.TOKEN_INVALID, 'The access token is too large.');
    }
    const auth = this.tokens.authenticate(header);
    // The registry answers from memory while it hears every revocation; else from the database.
    if (this.revocations.trustworthy) {
      return this.admit(context, request, auth, this.revocations.isRevoked(auth.sessionId));
    }
    return this.revocations
      .isRevokedInDatabase(auth.sessionId)
      .then((revoked) => this.admit(context, request, auth, revoked));
  }

  /**
   * On a public route, names the caller when they send a valid token of a live session (never
   * refusing one that is not): so the general limit counts a signed-in customer on their own
   * budget, not their address's, which a whole bar's Wi-Fi shares. While the revocation set may
   * be incomplete, the caller counts as anonymous rather than costing a database read.
   */
  private recognise(request: AuthenticatedRequest): void {
    const header = request.headers.authorization;
    if (header === undefined || header.length > TOO_LARGE || !this.revocations.trustworthy) return;
    let auth: AuthContext;
    try {
      auth = this.tokens.authenticate(header);
    } catch {
      return;
    }
    if (!this.revocations.isRevoked(auth.sessionId)) request.auth = auth;
  }

  private admit(
    context: ExecutionContext,
    request: AuthenticatedRequest,
    auth: AuthContext,
    revoked: boolean,
  ): boolean {
    if (revoked) throw new AppError(ErrorCode.SESSION_REVOKED);
    request.auth = auth;

    const route = request.routeOptions.url ?? request.url;
    if (route.startsWith(ADMIN_PREFIX) && (auth.app !== 'admin' || auth.role !== 'admin')) {
      throw new AppError(ErrorCode.FORBIDDEN, 'Admin routes need a session of the admin app.');
    }
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(auth.role)) throw new AppError(ErrorCode.FORBIDDEN);

    this.sessions.touch(auth.sessionId, auth.role);
    return true;
  }
}
