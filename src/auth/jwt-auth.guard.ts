import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { RevocationRegistry } from '../sessions/revocation-registry.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Role } from '../users/role.js';
import type { AuthContext } from './auth-context.js';
import { type AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators.js';
import { JWT_STRATEGY } from './jwt.strategy.js';
import { MAX_TOKEN_LENGTH } from './token.service.js';

const ADMIN_PREFIX = '/api/admin/';

interface TokenError {
  name?: unknown;
}

/**
 * The one place that decides who may call what. Every route needs a valid access token unless
 * it is `@Public()`; then: the session must not be revoked (in-memory set, no query; the
 * database while the event bus is cut off), routes
 * under `/api/admin/` need a token of the admin app, and `@Roles(...)` restricts by role.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly revocations: RevocationRegistry,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header !== undefined && header.length > MAX_TOKEN_LENGTH + 'Bearer '.length) {
      throw new AppError(ErrorCode.TOKEN_INVALID, 'The access token is too large.');
    }
    await super.canActivate(context);
    const auth = (request as AuthenticatedRequest & { user?: AuthContext }).user;
    if (!auth) throw new AppError(ErrorCode.TOKEN_INVALID);
    const revoked = this.revocations.trustworthy
      ? this.revocations.isRevoked(auth.sessionId)
      : await this.revocations.isRevokedInDatabase(auth.sessionId);
    if (revoked) throw new AppError(ErrorCode.SESSION_REVOKED);
    request.auth = auth;

    const route = request.routeOptions.url ?? request.url;
    if (route.startsWith(ADMIN_PREFIX) && (auth.app !== 'admin' || auth.role !== 'admin')) {
      throw new AppError(ErrorCode.FORBIDDEN, 'Admin routes need a session of the admin app.');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(auth.role)) throw new AppError(ErrorCode.FORBIDDEN);

    this.sessions.touch(auth.sessionId, auth.role);
    return true;
  }

  /** Maps passport's outcome to the contract's codes: expired, or invalid for anything else. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the base class's signature
  override handleRequest<TUser = AuthContext>(error: unknown, user: unknown, info: unknown): TUser {
    if (error instanceof AppError) throw error;
    if (user) return user as TUser;
    const reason = (info ?? error) as TokenError | undefined;
    if (reason?.name === 'TokenExpiredError') throw new AppError(ErrorCode.TOKEN_EXPIRED);
    throw new AppError(ErrorCode.TOKEN_INVALID);
  }
}
