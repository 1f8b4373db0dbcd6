import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { API_TOKEN_PREFIX } from '../api-tokens/api-token-secret.js';
import type { ApiTokenScope } from '../api-tokens/api-token-scopes.js';
import { ApiTokenStrategy } from '../api-tokens/api-token.strategy.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig, RateLimitRule } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { anonymousCounterKey } from '../rate-limit/general-throttler.guard.js';
import { RateLimitStorage, retryAfterSeconds } from '../rate-limit/rate-limit-storage.js';
import { RevocationRegistry } from '../sessions/revocation-registry.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Role } from '../users/role.js';
import type { AuthContext } from './auth-context.js';
import {
  type AuthenticatedRequest,
  DURING_TWO_FACTOR_SETUP,
  IS_PUBLIC,
  REQUIRED_ROLES,
  SESSION_ONLY,
  TOKEN_SCOPE,
} from './auth.decorators.js';
import {
  bearerToken,
  JWT_STRATEGY,
  type JwtAuthenticateOptions,
  JwtStrategy,
} from './jwt.strategy.js';
import { MAX_TOKEN_LENGTH, TokenService } from './token.service.js';

const ADMIN_PREFIX = '/api/admin/';

/** Where a route's metadata is looked up: its handler, then its controller. */
type MetadataTargets = Parameters<Reflector['getAllAndOverride']>[1];
const TOO_LARGE = MAX_TOKEN_LENGTH + 'Bearer '.length;
/** In an `Authorization` header, what only an API token's has (a JWT has no space or `_`). */
const API_TOKEN_MARK = ` ${API_TOKEN_PREFIX}`;
const API_TOKEN_OPTIONS = { session: false } as const;
/** A refused token's answers: the request is then an anonymous one (see `refused`). */
const REFUSED_TOKEN: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.TOKEN_INVALID,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.SESSION_REVOKED,
]);

/**
 * The one place that decides who may call what. Every route needs a valid access token unless
 * it is `@Public()`: passport's 'jwt' strategy ({@link JwtStrategy}) verifies it and checks its
 * session is not revoked; then routes under `/api/admin/` need a token of the admin app, and
 * `@Roles(...)` restricts by role. The caller's {@link AuthContext} is `request.auth`.
 *
 * `Bearer tap_…` is an API token instead: passport's second strategy ({@link ApiTokenStrategy})
 * finds it, and the route must let tokens with one of its scopes in (`@TokenScope(...)`); it has
 * no session to check or touch. The header's prefix decides, so JWTs take the path they took.
 *
 * It is `AuthGuard('jwt')` with its own `canActivate`, which makes the same call as
 * AuthGuard's (`passport.authenticate('jwt', options, callback)(request, response, next)`) with
 * callbacks that hold only the request. AuthGuard's hold the ExecutionContext, and through it
 * Fastify's reply; measured (bench/README.md), V8 then keeps each request's objects alive past
 * young-generation collections, and the guarded request's CPU went from ~90 to ~150 µs.
 *
 * A token the strategy has verified before is answered by the strategy itself
 * ({@link JwtStrategy.recalled}: its cache of verified tokens, then the revocation check), without
 * passport's middleware around it: seven closures per request, measured at ~10 µs of a guarded
 * request's ~110 (bench/README.md). Every token it has not verified goes through passport, and
 * passport-jwt verifies it; the answers and errors are the same either way.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly authenticateOptions: JwtAuthenticateOptions;
  private readonly anonymousLimit: RateLimitRule;
  /** Requests already counted on their address's anonymous budget. */
  private readonly counted = new WeakSet<AuthenticatedRequest>();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly revocations: RevocationRegistry,
    private readonly tokens: TokenService,
    private readonly strategy: JwtStrategy,
    private readonly apiTokens: ApiTokenStrategy,
    private readonly limits: RateLimitStorage,
    @InjectConfig() config: AppConfig,
  ) {
    super({ property: 'auth' });
    this.authenticateOptions = { session: false, strategy };
    this.anonymousLimit = config.rateLimits.anonymous;
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets: MetadataTargets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) {
      this.recognise(request);
      return true;
    }
    const header = request.headers.authorization;
    if (header !== undefined && header.length > TOO_LARGE) {
      throw new AppError(ErrorCode.TOKEN_INVALID, 'The access token is too large.');
    }
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = header?.includes(API_TOKEN_MARK)
        ? this.viaApiToken(targets, request)
        : this.viaJwt(targets, request);
    } catch (error) {
      return this.refused(request, error);
    }
    if (verdict instanceof Promise)
      return verdict.catch((error: unknown) => this.refused(request, error));
    return verdict;
  }

  private viaJwt(
    targets: MetadataTargets,
    request: AuthenticatedRequest,
  ): boolean | Promise<boolean> {
    // A token the strategy remembers is answered by the strategy without passport's middleware
    // around it (see the class comment); any other goes through passport.
    const auth = this.strategy.recalled(request) ?? authenticate(request, this.authenticateOptions);
    if (auth instanceof Promise) return auth.then((known) => this.admit(targets, request, known));
    return this.admit(targets, request, auth);
  }

  /**
   * A request whose token was refused is an anonymous one: it counts on its address's budget
   * (`RATE_LIMIT_ANON_PER_MINUTE`, the anonymous throttler's counter), and past it the answer is
   * `429 RATE_LIMITED`. Otherwise guesses would be unlimited (the throttler runs after this
   * guard), and each unknown `tap_` token costs a database lookup.
   */
  private async refused(request: AuthenticatedRequest, error: unknown): Promise<never> {
    if (
      error instanceof AppError &&
      REFUSED_TOKEN.has(error.code) &&
      this.anonymousLimit.limit > 0 &&
      !this.counted.has(request)
    ) {
      this.counted.add(request);
      const { count, msToReset } = await this.limits.hit(
        anonymousKey(request),
        this.anonymousLimit.windowSeconds * 1000,
      );
      if (count > this.anonymousLimit.limit) throw rateLimited(msToReset);
    }
    throw error;
  }

  /**
   * Before an API token is looked up in the database: refused at once (and counted) when its
   * address has no anonymous budget left, so guessing costs no query past the limit. A known
   * token's lookup spends nothing.
   */
  private async beforeLookup(request: AuthenticatedRequest): Promise<void> {
    const { limit, windowSeconds } = this.anonymousLimit;
    if (limit === 0) return;
    const key = anonymousKey(request);
    const { count } = await this.limits.peek(key);
    if (count < limit) return;
    this.counted.add(request);
    const { msToReset } = await this.limits.hit(key, windowSeconds * 1000);
    throw rateLimited(msToReset);
  }

  /** Lets the caller in if the route's app and roles allow them, and notes their activity. */
  private admit(
    targets: MetadataTargets,
    request: AuthenticatedRequest,
    auth: AuthContext,
  ): boolean {
    request.auth = auth;
    if (
      auth.setupOnly &&
      !this.reflector.getAllAndOverride<boolean | undefined>(DURING_TWO_FACTOR_SETUP, targets)
    ) {
      throw new AppError(
        ErrorCode.FORBIDDEN,
        'Turn on two-factor sign-in first: admins need it here (TWO_FACTOR_ADMIN=required).',
        { reason: 'two_factor_setup_required' },
      );
    }
    const route = request.routeOptions.url ?? request.url;
    if (route.startsWith(ADMIN_PREFIX) && (auth.app !== 'admin' || auth.role !== 'admin')) {
      throw new AppError(ErrorCode.FORBIDDEN, 'Admin routes need a session of the admin app.');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(auth.role)) throw new AppError(ErrorCode.FORBIDDEN);

    this.sessions.touch(auth.sessionId, auth.role);
    return true;
  }

  private viaApiToken(
    targets: MetadataTargets,
    request: AuthenticatedRequest,
  ): boolean | Promise<boolean> {
    // Passport runs a strategy on an object made from it per request: this app's, not the last
    // one registered under the name in this process.
    const strategy = Object.create(this.apiTokens) as ApiTokenStrategy;
    strategy.beforeLookup = () => this.beforeLookup(request);
    const auth = authenticate(request, API_TOKEN_OPTIONS, strategy);
    if (auth instanceof Promise) {
      return auth.then((known) => this.admitApiToken(targets, request, known));
    }
    return this.admitApiToken(targets, request, auth);
  }

  /**
   * Lets an API token in where the route grants one of its scopes (and its roles allow an
   * admin). No session is touched: a token has none.
   */
  private admitApiToken(
    targets: MetadataTargets,
    request: AuthenticatedRequest,
    auth: AuthContext,
  ): boolean {
    const scope = tokenScopeOf(this.reflector, targets);
    if (scope === undefined) {
      throw new AppError(
        ErrorCode.FORBIDDEN,
        'API tokens cannot call this route: it needs a signed-in session.',
      );
    }
    if (!auth.apiToken?.scopes.includes(scope)) {
      throw new AppError(ErrorCode.FORBIDDEN, `This API token lacks the scope ${scope}.`, {
        scope,
      });
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(auth.role)) throw new AppError(ErrorCode.FORBIDDEN);
    request.auth = auth;
    return true;
  }

  /**
   * On a public route, names the caller when they send a valid token of a live session (never
   * refusing one that is not): so the general limit counts a signed-in customer on their own
   * budget, not their address's, which a whole bar's Wi-Fi shares. Passport is not asked: it
   * would refuse, and this only picks whose budget a request spends. While the revocation set
   * may be incomplete, the caller counts as anonymous rather than costing a database read.
   */
  private recognise(request: AuthenticatedRequest): void {
    if (!this.revocations.trustworthy) return;
    const token = bearerToken(request);
    if (token === null) return;
    const auth = this.tokens.recall(token) ?? this.tokens.verify(token);
    if (auth !== undefined && !this.revocations.isRevoked(auth.sessionId)) request.auth = auth;
  }
}

function anonymousKey(request: AuthenticatedRequest): string {
  return anonymousCounterKey(request.ip);
}

function rateLimited(msToReset: number): AppError {
  const retryAfter = retryAfterSeconds(msToReset);
  return new AppError(
    ErrorCode.RATE_LIMITED,
    `Too many requests; try again in ${retryAfter} seconds.`,
    undefined,
    { 'Retry-After': String(retryAfter) },
  );
}

/**
 * The scope a token needs for a route, or `undefined` when tokens may not call it: the most
 * specific of `@TokenScope` and `@SessionOnly` wins (a session-only handler in a controller whose
 * routes take a scope stays session-only), and a route naming neither refuses tokens.
 */
export function tokenScopeOf(
  reflector: Reflector,
  targets: MetadataTargets,
): ApiTokenScope | undefined {
  for (const target of targets) {
    if (reflector.get<boolean | undefined>(SESSION_ONLY, target)) return undefined;
    const scope = reflector.get<ApiTokenScope | undefined>(TOKEN_SCOPE, target);
    if (scope !== undefined) return scope;
  }
  return undefined;
}

/** What passport's callback was given. */
interface Verdict {
  readonly error: unknown;
  readonly user: AuthContext | false;
  readonly info: unknown;
}

/**
 * The caller of a request, as passport's 'jwt' strategy finds them (`options` name this app's
 * strategy), or the contract's error: at once when the strategy answers at once (a token it has
 * verified before, revocations from memory), else once it has answered. Passport gets no
 * response: with a callback it answers through that and never writes one (and a bearer strategy
 * never redirects). The callbacks hold only the request (see {@link JwtAuthGuard}).
 */
export function authenticate(
  request: { readonly headers: { readonly authorization?: string | undefined } },
  options: JwtAuthenticateOptions | typeof API_TOKEN_OPTIONS,
  strategy: string | passport.Strategy = JWT_STRATEGY,
): AuthContext | Promise<AuthContext> {
  let verdict: Verdict | undefined;
  let settle: ((verdict: Verdict) => void) | undefined;
  const give = (given: Verdict): void => {
    if (settle) settle(given);
    else verdict ??= given;
  };
  const middleware = passport.authenticate(
    strategy,
    options,
    (error: unknown, user: AuthContext | false, info: unknown) => {
      give({ error, user, info });
    },
  ) as (request: unknown, response: undefined, next: (error?: unknown) => void) => void;
  // `next` is for strategies that pass without a verdict; ours always gives one.
  middleware(request, undefined, (error?: unknown) => {
    give({ error: error ?? new AppError(ErrorCode.TOKEN_INVALID), user: false, info: undefined });
  });
  if (verdict) return passportVerdict(verdict.error, verdict.user, verdict.info);
  return new Promise((resolve, reject) => {
    settle = (given) => {
      try {
        resolve(passportVerdict(given.error, given.user, given.info));
      } catch (refusal) {
        reject(refusal instanceof Error ? refusal : new Error(String(refusal)));
      }
    };
  });
}

/**
 * Passport's verdict as the contract's errors: `TOKEN_EXPIRED` for an expired token,
 * `TOKEN_INVALID` for anything else that is not a valid token of ours (no header, another
 * scheme, a foreign key header or algorithm, a bad signature, another issuer or audience,
 * malformed claims); errors of the strategy (`SESSION_REVOKED`) as they are.
 */
function passportVerdict<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
  if (error instanceof Error) throw error;
  if (error) throw new Error('The strategy failed with something other than an Error');
  if (user) return user;
  // passport-jwt fails with jsonwebtoken's error as the challenge.
  if (info instanceof Error && info.name === 'TokenExpiredError') {
    throw new AppError(ErrorCode.TOKEN_EXPIRED);
  }
  throw new AppError(ErrorCode.TOKEN_INVALID);
}
