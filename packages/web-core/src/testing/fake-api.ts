import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { ApiErrorBody, AuthResponse, ErrorCode } from '../api/contracts';

function base64Url(value: string): string {
  return btoa(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An unsigned JWT with the claims the client reads. */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'test' }))}.${base64Url(JSON.stringify(claims))}.sig`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function bearerOf(config: InternalAxiosRequestConfig): string | null {
  const header = config.headers.get('Authorization');
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null;
}

function bodyOf(config: InternalAxiosRequestConfig): Record<string, unknown> {
  if (typeof config.data !== 'string' || config.data === '') return {};
  return JSON.parse(config.data) as Record<string, unknown>;
}

/**
 * The auth part of the API as an axios adapter, for unit tests: login, refresh (with a delay to
 * make overlap visible), logout, and a guarded `GET /things` that checks the bearer against the
 * (fake) clock. Counts what it was asked.
 */
export class FakeApi {
  ttlSeconds = 600;
  /** How far the server's clock is ahead of the page's; when not 0, answers carry a `Date`. */
  clockOffsetMs = 0;
  /** The idle timeout the sessions it issues report. */
  idleTimeoutSeconds = 86_400;
  /** How long a refresh takes to answer. */
  refreshDelayMs = 0;
  /** How long a logout takes to answer. */
  logoutDelayMs = 0;
  refreshCalls = 0;
  thingCalls = 0;
  logoutCalls = 0;
  /** What each logout sent: the body's `app` and the bearer token, if any. */
  readonly logouts: { app: unknown; bearer: string | null }[] = [];
  /** What each login sent (its JSON body). */
  readonly logins: Record<string, unknown>[] = [];
  /** The auth calls in the order the server saw and answered them (`refresh` start and answer). */
  readonly log: string[] = [];
  /** When set, `/things` answers 401 with this code whatever the token. */
  forceThingsError: ErrorCode | null = null;
  /** When set, login answers with this status and code (`403 ACCOUNT_DISABLED`, …). */
  loginError: { status: number; code: ErrorCode } | null = null;
  /** When set, refresh answers 401 with this code. */
  refreshError: ErrorCode | null = null;
  /** Tokens issued before this (ms) count as expired on the server. */
  expiredBefore = 0;
  /** Starts without a refresh cookie, like a first visit. */
  hasCookie = false;
  private generation = 0;
  readonly validTokens = new Map<string, { issuedAt: number; expiresAt: number }>();

  readonly adapter: AxiosAdapter = async (config) => {
    const method = (config.method ?? 'get').toUpperCase();
    const url = config.url ?? '';
    if (method === 'POST' && url === '/auth/login') {
      this.logins.push(bodyOf(config));
      if (this.loginError !== null) {
        return this.fail(config, this.loginError.status, this.loginError.code);
      }
      return this.ok(config, this.issue());
    }
    if (method === 'POST' && url === '/auth/refresh') {
      this.refreshCalls += 1;
      this.log.push('refresh sent');
      // The server decides when the request arrives; the answer (and its cookie) comes later.
      const error = this.refreshError ?? (this.hasCookie ? null : 'REFRESH_INVALID');
      if (this.refreshDelayMs > 0) await sleep(this.refreshDelayMs);
      this.log.push('refresh answered');
      if (error !== null) return this.fail(config, 401, error);
      // The rotated cookie lands now, even if a logout answered meanwhile cleared the old one.
      return this.ok(config, this.issue());
    }
    if (method === 'POST' && url === '/auth/logout') {
      this.logoutCalls += 1;
      this.log.push('logout sent');
      this.logouts.push({ app: bodyOf(config).app, bearer: bearerOf(config) });
      this.hasCookie = false;
      if (this.logoutDelayMs > 0) await sleep(this.logoutDelayMs);
      this.log.push('logout answered');
      return this.ok(config, undefined, 204);
    }
    if (method === 'GET' && url === '/things') {
      this.thingCalls += 1;
      if (this.forceThingsError !== null) return this.fail(config, 401, this.forceThingsError);
      const token = bearerOf(config) ?? '';
      const known = this.validTokens.get(token);
      if (known === undefined) return this.fail(config, 401, 'TOKEN_INVALID');
      if (known.expiresAt <= Date.now() || known.issuedAt < this.expiredBefore) {
        return this.fail(config, 401, 'TOKEN_EXPIRED');
      }
      return this.ok(config, { token });
    }
    return this.fail(config, 404, 'NOT_FOUND');
  };

  private issue(): AuthResponse {
    this.hasCookie = true;
    this.generation += 1;
    const nowMs = Date.now() + this.clockOffsetMs;
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.ttlSeconds;
    const accessToken = fakeJwt({ sub: 'u1', sid: 's1', iat, exp, gen: this.generation });
    this.validTokens.set(accessToken, { issuedAt: nowMs, expiresAt: exp * 1000 });
    return {
      tokenType: 'Bearer',
      accessToken,
      accessTokenExpiresAt: new Date(exp * 1000).toISOString(),
      twoFactorSetupOnly: false,
      user: {
        id: 'u1',
        email: 'ann@example.com',
        name: 'Ann',
        role: 'customer',
        tableNumber: null,
        twoFactorEnabled: false,
      },
      session: {
        id: 's1',
        app: 'customer',
        idleExpiresAt: new Date(nowMs + this.idleTimeoutSeconds * 1000).toISOString(),
        expiresAt: new Date(nowMs + 86_400_000).toISOString(),
        idleTimeoutSeconds: this.idleTimeoutSeconds,
      },
    };
  }

  private ok(config: InternalAxiosRequestConfig, data: unknown, status = 200): AxiosResponse {
    const headers = new AxiosHeaders();
    if (this.clockOffsetMs !== 0) {
      headers.set('date', new Date(Date.now() + this.clockOffsetMs).toUTCString());
    }
    return { data, status, statusText: 'OK', headers, config };
  }

  private fail(config: InternalAxiosRequestConfig, status: number, code: ErrorCode): never {
    const body: ApiErrorBody = { statusCode: status, code, message: code };
    const response: AxiosResponse = {
      data: body,
      status,
      statusText: code,
      headers: new AxiosHeaders(),
      config,
    };
    throw new AxiosError(code, AxiosError.ERR_BAD_REQUEST, config, null, response);
  }
}
