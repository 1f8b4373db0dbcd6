import { Injectable } from '@nestjs/common';
import passport from 'passport';
import type { AuthContext } from '../auth/auth-context.js';
import { bearerToken } from '../auth/jwt.strategy.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiTokenDirectory } from './api-token-directory.js';

/** The name API tokens' strategy is registered under with passport. */
const API_TOKEN_STRATEGY = 'api-token';

/** What the strategy reads of a request. */
interface WithHeaders {
  readonly headers: { readonly authorization?: string | undefined };
}

/**
 * Passport's second strategy: `Authorization: Bearer tap_…` ({@link ApiTokenDirectory} finds the
 * token's owner and scopes). The principal is an {@link AuthContext} with `apiToken` set; it has
 * no session, so nothing of the sessions' (activity, caps, refresh) ever applies to it.
 *
 * Passport runs a strategy on an object made from it per request (`Object.create`), so the
 * guard hands it one made from this app's instance (tests run two apps in one process).
 */
@Injectable()
export class ApiTokenStrategy extends passport.Strategy {
  override name = API_TOKEN_STRATEGY;
  /** Runs before a token is looked up in the database (the guard sets it per request). */
  beforeLookup: (() => Promise<void>) | undefined = undefined;

  constructor(private readonly directory: ApiTokenDirectory) {
    super();
    passport.use(API_TOKEN_STRATEGY, this);
  }

  override authenticate(request: WithHeaders): void {
    const token = bearerToken(request);
    if (token === null) {
      this.error(new AppError(ErrorCode.TOKEN_INVALID));
      return;
    }
    let found: AuthContext | Promise<AuthContext>;
    try {
      found = this.directory.authenticate(token, this.beforeLookup);
    } catch (error) {
      this.error(error);
      return;
    }
    if (!(found instanceof Promise)) {
      this.success(found);
      return;
    }
    found.then(
      (auth) => {
        this.success(auth);
      },
      (error: unknown) => {
        this.error(error);
      },
    );
  }
}
