import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Role } from '../users/role.js';
import type { AuthContext } from './auth-context.js';
import { type AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators.js';
import { type JwtAuthenticateOptions, JwtStrategy } from './jwt.strategy.js';
import { MAX_TOKEN_LENGTH } from './token.service.js';

const ADMIN_PREFIX = '/api/admin/';
const TOO_LARGE = MAX_TOKEN_LENGTH + 'Bearer '.length;

/**
 * The one place that decides who may call what. Every route needs a valid access token unless
 * it is `@Public()`: passport's 'jwt' strategy ({@link JwtStrategy}) verifies it and checks its
 * session is not revoked; then routes under `/api/admin/` need a token of the admin app, and
 * `@Roles(...)` restricts by role. The caller's {@link AuthContext} is `request.auth`.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly authenticateOptions: JwtAuthenticateOptions;

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    strategy: JwtStrategy,
  ) {
    super({ property: 'auth' });
    this.authenticateOptions = { session: false, strategy };
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header !== undefined && header.length > TOO_LARGE) {
      throw new AppError(ErrorCode.TOKEN_INVALID, 'The access token is too large.');
    }
    await super.canActivate(context);
    const auth = request.auth;
    if (auth === undefined) throw new AppError(ErrorCode.TOKEN_INVALID);

    const route = request.routeOptions.url ?? request.url;
    if (route.startsWith(ADMIN_PREFIX) && (auth.app !== 'admin' || auth.role !== 'admin')) {
      throw new AppError(ErrorCode.FORBIDDEN, 'Admin routes need a session of the admin app.');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(auth.role)) throw new AppError(ErrorCode.FORBIDDEN);

    this.sessions.touch(auth.sessionId, auth.role);
    return true;
  }

  override getAuthenticateOptions(): JwtAuthenticateOptions {
    return this.authenticateOptions;
  }

  override handleRequest<TUser = AuthContext>(
    error: unknown,
    user: TUser | false,
    info: unknown,
  ): TUser {
    return passportVerdict(error, user, info);
  }
}

/**
 * Passport's verdict as the contract's errors: `TOKEN_EXPIRED` for an expired token,
 * `TOKEN_INVALID` for anything else that is not a valid token of ours (no header, another
 * scheme, a foreign key header or algorithm, a bad signature, another issuer or audience,
 * malformed claims); errors of the strategy (`SESSION_REVOKED`) as they are.
 */
export function passportVerdict<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
  if (error instanceof Error) throw error;
  if (error) throw new Error('The strategy failed with something other than an Error');
  if (user) return user;
  // passport-jwt fails with jsonwebtoken's error as the challenge.
  if (info instanceof Error && info.name === 'TokenExpiredError') {
    throw new AppError(ErrorCode.TOKEN_EXPIRED);
  }
  throw new AppError(ErrorCode.TOKEN_INVALID);
}
