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
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
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
