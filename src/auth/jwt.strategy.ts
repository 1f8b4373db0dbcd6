import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { RevocationRegistry } from '../sessions/revocation-registry.js';
import type { AuthContext } from './auth-context.js';
import { TokenService } from './token.service.js';

/** The request type passport's strategies are declared with. */
type Request = Parameters<Strategy['authenticate']>[0];

/** The name access tokens' strategy is registered under with passport. */
export const JWT_STRATEGY = 'jwt';

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235). */
const BEARER = /^Bearer +(\S+)$/i;

/** What the strategy reads of a request (Fastify's, typed by passport as Express's). */
interface WithHeaders {
  readonly headers: { readonly authorization?: string | undefined };
}

/** The bearer token of a request's `Authorization` header; nowhere else (not the URL, not a cookie). */
export function bearerToken(request: WithHeaders): string | null {
  const header = request.headers.authorization;
  return (header === undefined ? undefined : BEARER.exec(header)?.[1]) ?? null;
}

/** What the guard hands passport for one request (see {@link JwtStrategy.authenticate}). */
export interface JwtAuthenticateOptions {
  readonly session: false;
  /** The strategy of the app that received the request. */
  readonly strategy: JwtStrategy;
}

/**
 * Verifies access tokens for passport (`AuthGuard('jwt')`): the bearer token of the header only,
 * the key its `kid` names ({@link TokenService.keyFor}: ours or a previous secret's, the
 * configured algorithm, no header pointing elsewhere), then passport-jwt checks signature,
 * algorithm, issuer, audience and expiry, and {@link validate} the claims' shape and the
 * session's revocation. The principal is the {@link AuthContext}.
 *
 * A token verified once is remembered until it expires ({@link TokenService.recall}): a client
 * sends the same token with every request for its whole life, and the same string under the same
 * key verifies the same way. Such a request skips the signature, never the revocation check;
 * the guard asks {@link recalled} first and calls passport only for tokens not remembered.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: RevocationRegistry,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: (_request: unknown, token: string, done) => {
        const key = tokens.keyFor(token);
        // jsonwebtoken takes a KeyObject (no key rebuilt from a string per call); the types of
        // passport-jwt only know strings and Buffers.
        if (key) done(null, key as unknown as Buffer);
        else done(new AppError(ErrorCode.TOKEN_INVALID));
      },
      ...tokens.verifyOptions,
      passReqToCallback: true,
    });
  }

  /**
   * Passport calls this on an object made from the strategy registered under 'jwt' in this
   * process, which is the last app's: with several apps in one process (tests run two
   * instances), the guard names its own app's strategy in `options`, and it takes over.
   */
  override authenticate(request: WithHeaders & Request, options?: JwtAuthenticateOptions): void {
    const own = options?.strategy;
    if (own !== undefined && !(own === this || Object.getPrototypeOf(this) === own)) {
      Object.setPrototypeOf(this, own);
    }
    let admitted: AuthContext | Promise<AuthContext> | undefined;
    try {
      admitted = this.recalled(request);
    } catch (error) {
      this.error(error as Error);
      return;
    }
    if (admitted === undefined) {
      super.authenticate(request, options);
      return;
    }
    if (!(admitted instanceof Promise)) {
      this.success(admitted);
      return;
    }
    admitted.then(
      (auth) => {
        this.success(auth);
      },
      (error: unknown) => {
        this.error(error as Error);
      },
    );
  }

  /**
   * The principal of a token this strategy has verified before and remembers, after the
   * revocation check (which throws `SESSION_REVOKED`); `undefined` when the token is not
   * remembered, and passport-jwt must verify it.
   */
  recalled(request: WithHeaders): AuthContext | Promise<AuthContext> | undefined {
    const token = bearerToken(request);
    const known = token === null ? undefined : this.tokens.recall(token);
    return known === undefined ? undefined : this.admit(known);
  }

  /** The principal of a token passport-jwt has verified (`payload` are its claims). */
  validate(request: WithHeaders, payload: unknown): AuthContext | Promise<AuthContext> {
    const token = bearerToken(request);
    const auth = token === null ? undefined : this.tokens.remember(token, payload);
    if (auth === undefined) throw new AppError(ErrorCode.TOKEN_INVALID);
    return this.admit(auth);
  }

  /**
   * The context, unless its session is revoked: from the in-memory set while the bus hears
   * every revocation, else from the database (fails closed).
   */
  private admit(auth: AuthContext): AuthContext | Promise<AuthContext> {
    if (this.revocations.trustworthy) {
      if (this.revocations.isRevoked(auth.sessionId)) throw new AppError(ErrorCode.SESSION_REVOKED);
      return auth;
    }
    return this.revocations.isRevokedInDatabase(auth.sessionId).then((revoked) => {
      if (revoked) throw new AppError(ErrorCode.SESSION_REVOKED);
      return auth;
    });
  }
}
