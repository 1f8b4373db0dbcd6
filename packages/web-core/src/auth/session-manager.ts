import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { apiErrorFrom, type ApiError } from '../api/api-error';
import type {
  AppName,
  AuthResponse,
  AuthSessionSummary,
  ErrorCode,
  RevocationReason,
  User,
} from '../api/contracts';
import { type ActivitySource, browserActivitySource } from './activity';
import { type LockManagerLike, localLockManager } from './locks';
import {
  isExpiredOrAlmost,
  isRefreshDue,
  refreshDelayMs,
  shouldRefreshProactively,
} from './refresh-schedule';
import { reasonForErrorCode, type SignedOutReason } from './signed-out-reason';
import { tokenLifetimeMs } from './token-expiry';

type SessionStatus = 'restoring' | 'signedIn' | 'signedOut';

/** What the UI sees. The access token lives here, in memory, and nowhere else. */
export interface SessionState {
  readonly status: SessionStatus;
  readonly user: User | null;
  readonly session: AuthSessionSummary | null;
  readonly accessToken: string | null;
  /** Local clock, ms. */
  readonly expiresAt: number;
  /** The session's idle deadline (`session.idleExpiresAt`) on the local clock, ms; 0 when none. */
  readonly idleExpiresAt: number;
  /** True while the token is left to lapse because nobody touched the app. */
  readonly dormant: boolean;
  readonly signedOutReason: SignedOutReason | null;
  /** The idle timeout of the session this tab last had, in seconds: the notice names it. */
  readonly lastIdleTimeoutSeconds: number | null;
}

/** Messages between tabs of one app, on the `BroadcastChannel` named after the app. */
export type SessionMessage =
  | {
      type: 'token';
      accessToken: string;
      expiresAt: number;
      lifetimeMs: number;
      idleExpiresAt: number;
      user: User;
      session: AuthSessionSummary;
    }
  | { type: 'signed-out'; reason: SignedOutReason };

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface SessionManagerOptions {
  app: AppName;
  /** Base URL of the API. Default `/api`. */
  baseURL?: string;
  /** Lets tests answer HTTP without a server. */
  adapter?: AxiosInstance['defaults']['adapter'];
  /** Cross-tab lock; default `navigator.locks`, or a lock local to this page. */
  locks?: LockManagerLike;
  /** Cross-tab channel; default a `BroadcastChannel` named after the app; null for none. */
  channel?: ChannelLike | null;
  /** Where interactions come from; default pointer, keyboard and focus events on `window`. */
  activity?: ActivitySource;
  now?: () => number;
  /** How long a tab keeps the refresh lock after sharing a new token, so other tabs hear it first. */
  handoffMs?: number;
  /** Retry delay after a refresh failed for a reason that does not end the session. */
  retryMs?: number;
  /**
   * How long sign-out waits for a refresh in flight (in any tab of the app) before it goes ahead
   * anyway. Default 10 s.
   */
  logoutWaitMs?: number;
}

const SIGNED_OUT: SessionState = {
  status: 'signedOut',
  user: null,
  session: null,
  accessToken: null,
  expiresAt: 0,
  idleExpiresAt: 0,
  dormant: false,
  signedOutReason: null,
  lastIdleTimeoutSeconds: null,
};

const SESSION_ENDING: readonly ErrorCode[] = [
  'SESSION_REVOKED',
  'REFRESH_REUSED',
  'REFRESH_INVALID',
  'TOKEN_INVALID',
];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultChannel(app: AppName): ChannelLike | null {
  return typeof BroadcastChannel === 'undefined'
    ? null
    : new BroadcastChannel(`taproom-session-${app}`);
}

function defaultLocks(): LockManagerLike {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return (nav as { locks?: LockManagerLike } | undefined)?.locks ?? localLockManager();
}

/**
 * One app's session in one tab: the access token in memory, the refresh token in the app's
 * HttpOnly cookie `rt_<app>`. Refreshes proactively before expiry when the person has been
 * active, one refresh at a time across every tab of the app (Web Locks), and shares the new token
 * with the other tabs (BroadcastChannel). Framework-free: React reads it through
 * `subscribe`/`getState`.
 */
export class SessionManager {
  readonly app: AppName;
  private state: SessionState = { ...SIGNED_OUT, status: 'restoring' };
  private readonly listeners = new Set<() => void>();
  private readonly http: AxiosInstance;
  private readonly locks: LockManagerLike;
  private readonly channel: ChannelLike | null;
  private readonly now: () => number;
  private readonly handoffMs: number;
  private readonly retryMs: number;
  private readonly logoutWaitMs: number;
  private readonly stopActivity: () => void;
  private lifetimeMs = 0;
  private lastRefreshAt = 0;
  private lastActivityAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<string | null> | null = null;
  private restoring: Promise<void> | null = null;
  private knownRevocation: RevocationReason | null = null;
  private activityWaiters: (() => void)[] = [];
  /** Set from the moment sign-out starts until this tab is signed out. */
  private signingOut: Promise<void> | null = null;
  /**
   * Moves on each sign-in and sign-out in this tab: a refresh asked for before that is stale, and
   * its answer is dropped (neither applied nor shared with the other tabs).
   */
  private epoch = 0;
  /** Sessions this tab saw end: a token of one of them, shared by another tab, is ignored. */
  private readonly endedSessions = new Set<string>();
  /** Counts refresh calls this tab sent (tests and diagnostics). */
  refreshCount = 0;

  constructor(options: SessionManagerOptions) {
    this.app = options.app;
    this.now = options.now ?? (() => Date.now());
    this.handoffMs = options.handoffMs ?? 150;
    this.retryMs = options.retryMs ?? 5_000;
    this.logoutWaitMs = options.logoutWaitMs ?? 10_000;
    this.http = axios.create({
      baseURL: options.baseURL ?? '/api',
      withCredentials: true,
      adapter: options.adapter,
      headers: { 'Content-Type': 'application/json' },
    });
    this.locks = options.locks ?? defaultLocks();
    this.channel = options.channel === undefined ? defaultChannel(this.app) : options.channel;
    this.channel?.addEventListener('message', this.onMessage);
    this.stopActivity = (options.activity ?? browserActivitySource()).subscribe(this.onActivity);
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Restores the session on page load with one refresh call (the cookie, if any, is sent). */
  restore(): Promise<void> {
    this.restoring ??= this.refresh(null).then(
      (token) => {
        if (token === null && this.state.status === 'restoring') this.setSignedOut(null);
      },
      (error: unknown) => {
        if (this.state.status === 'restoring') {
          this.setSignedOut(isNetwork(error) ? 'unreachable' : null);
        }
      },
    );
    return this.restoring;
  }

  /**
   * Signs in with the default cookie transport for the refresh token. `remember: false` (the
   * customer app's unticked "Keep me signed in") makes it a browser-session cookie.
   */
  async login(
    email: string,
    password: string,
    options: { remember?: boolean } = {},
  ): Promise<User> {
    const body = { email, password, app: this.app, ...options };
    const response = await this.call(() => this.http.post<AuthResponse>('/auth/login', body));
    return this.accept(response);
  }

  /**
   * The code step of a two-factor sign-in: the `challenge` of the `401 TOTP_REQUIRED` that
   * `login` threw, with the authenticator's code or a recovery code.
   */
  async loginWithCode(
    challenge: string,
    factor: { code: string } | { recoveryCode: string },
  ): Promise<User> {
    const body = { challenge, app: this.app, ...factor };
    const response = await this.call(() => this.http.post<AuthResponse>('/auth/login/2fa', body));
    return this.accept(response);
  }

  /**
   * Sits down at a table as a guest (the customer app, from a table's QR link): a session like a
   * sign-in's, for a user of role `guest` bound to that table.
   */
  async startGuest(tableToken: string): Promise<User> {
    const response = await this.call(() =>
      this.http.post<AuthResponse>('/auth/guest', { tableToken }),
    );
    return this.accept(response);
  }

  /**
   * Takes a login answer given by another route (a guest becoming a customer): its user and
   * access token replace this tab's and every other tab's, the session goes on.
   */
  accept(response: AxiosResponse<AuthResponse>): User {
    this.knownRevocation = null;
    this.epoch += 1;
    this.apply(response, true);
    return response.data.user;
  }

  /**
   * Ends this app's session on the server (other apps in the browser stay signed in), then in
   * this tab and the app's other tabs. From the first moment nothing refreshes any more; a
   * refresh already in flight, here or in another tab, is waited for (so the server sees the
   * sign-out last and no rotated cookie outlives it) and its answer dropped. `reason` is what
   * the notice says here and in the other tabs (`idle` when the inactivity warning ran out).
   */
  logout(reason: SignedOutReason = 'signed_out'): Promise<void> {
    this.signingOut ??= this.endSession(reason).finally(() => {
      this.signingOut = null;
    });
    return this.signingOut;
  }

  /**
   * A valid access token for a request: waits for a refresh in flight, refreshes one that has
   * (nearly) expired, and while the app idles out waits for the person to come back first.
   */
  async getAccessToken(): Promise<string | null> {
    if (this.refreshing) return this.refreshing;
    if (this.state.status === 'restoring') {
      await this.restore();
    }
    const { accessToken, expiresAt, status } = this.state;
    if (status !== 'signedIn' || accessToken === null) return null;
    if (!isExpiredOrAlmost(expiresAt, this.now())) return accessToken;
    if (!shouldRefreshProactively(this.lastActivityAt, this.lastRefreshAt)) {
      await this.nextActivity();
      // The activity itself may have started the refresh.
      const inFlight = this.refreshing as Promise<string | null> | null;
      if (inFlight !== null) return inFlight;
      if (this.state.accessToken !== accessToken) return this.getAccessToken();
    }
    return this.refresh(accessToken);
  }

  /**
   * Refreshes once for everyone who asks at the same time, in this tab and (through the lock)
   * in every other tab of the app. `staleToken` is the token the caller found lacking: if another
   * tab already replaced it, no request is sent. Resolves to the new token, or null once signed out.
   */
  refresh(staleToken: string | null | undefined): Promise<string | null> {
    if (this.signingOut !== null) return Promise.resolve(null);
    this.refreshing ??= this.lockedRefresh(staleToken ?? null).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** A request was answered with a code that ends the session. */
  endFromError(code: ErrorCode): void {
    // While signing out, the session ending is no news; the sign-out says why.
    if (this.state.status === 'signedOut' || this.signingOut !== null) return;
    this.signOut(
      reasonForErrorCode(code, {
        dormant: this.state.dormant,
        knownRevocation: this.knownRevocation,
      }),
      true,
    );
  }

  /** The live stream said this session was revoked, and why. */
  handleRevoked(sessionId: string, reason: RevocationReason): void {
    if (this.state.status === 'signedOut' || this.signingOut !== null) return;
    if (this.state.session !== null && sessionId !== this.state.session.id) return;
    this.knownRevocation = reason;
    this.signOut(reason === 'expired' && this.state.dormant ? 'idle' : reason, true);
  }

  /** Clears this app's session in this tab (and, with `broadcast`, its other tabs). */
  signOut(reason: SignedOutReason | null, broadcast: boolean): void {
    this.setSignedOut(reason);
    if (broadcast && reason !== null) this.post({ type: 'signed-out', reason });
  }

  /** Hides the signed-out notice once the person has read it. */
  dismissNotice(): void {
    if (this.state.signedOutReason !== null) this.setState({ signedOutReason: null });
  }

  dispose(): void {
    this.clearTimer();
    this.stopActivity();
    this.channel?.removeEventListener('message', this.onMessage);
    this.channel?.close();
    this.listeners.clear();
  }

  /**
   * Resolves as soon as this tab has its token, but keeps the lock a moment longer (`handoffMs`)
   * so the other tabs hear the new token before one of them could take the lock and refresh again.
   */
  private lockedRefresh(staleToken: string | null): Promise<string | null> {
    const epoch = this.epoch;
    return new Promise<string | null>((resolve, reject) => {
      this.locks
        .request(this.lockName(), async () => {
          // Signed out (or in again) while we waited for the lock: nothing to refresh.
          if (this.isStale(epoch)) {
            resolve(null);
            return;
          }
          const current = this.state;
          // Another tab refreshed while we waited for the lock: its token came over the channel.
          if (
            current.status === 'signedIn' &&
            current.accessToken !== null &&
            current.accessToken !== staleToken &&
            !isRefreshDue(current.expiresAt, this.lifetimeMs, this.now())
          ) {
            resolve(current.accessToken);
            return;
          }
          let response: AxiosResponse<AuthResponse>;
          try {
            this.refreshCount += 1;
            response = await this.call(() =>
              this.http.post<AuthResponse>('/auth/refresh', { app: this.app }),
            );
          } catch (error) {
            resolve(this.isStale(epoch) ? null : this.refreshFailed(error as ApiError, staleToken));
            return;
          }
          if (this.isStale(epoch)) {
            // Answered after sign-out began: applying or sharing it would sign the app back in.
            resolve(null);
            return;
          }
          this.apply(response, true);
          resolve(this.state.accessToken);
          if (this.handoffMs > 0) await sleep(this.handoffMs);
        })
        .catch(reject);
    });
  }

  /** True once sign-out has started, or this tab signed in or out since `epoch`. */
  private isStale(epoch: number): boolean {
    return this.signingOut !== null || epoch !== this.epoch;
  }

  private lockName(): string {
    return `taproom-refresh-${this.app}`;
  }

  private async endSession(reason: SignedOutReason): Promise<void> {
    this.clearTimer();
    const { accessToken: token, session } = this.state;
    if (session !== null) this.endedSessions.add(session.id);
    await this.afterRefreshes(async () => {
      // The bearer names the session even once expired; `app` names the cookie when there is
      // no token (or the server cannot read it), so the server never has to guess between apps.
      try {
        await this.http.post(
          '/auth/logout',
          { app: this.app },
          { headers: token === null ? {} : { Authorization: `Bearer ${token}` } },
        );
      } catch {
        // Signing out locally matters more than the answer; the server is idempotent.
      }
      this.signOut(reason, true);
    });
  }

  /**
   * Runs `task` holding the app's refresh lock: after every refresh in flight in any tab of the
   * app and before the next. Keeps the lock `handoffMs` longer so the other tabs hear the outcome
   * before one of them could refresh. Resolves when `task` has run; if the lock is not free
   * within `logoutWaitMs` (a refresh that hangs), runs it without the lock.
   */
  private afterRefreshes(task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      let started = false;
      const start = async (): Promise<void> => {
        started = true;
        clearTimeout(timer);
        try {
          await task();
        } finally {
          resolve();
        }
      };
      const timer = setTimeout(() => {
        if (!started) void start();
      }, this.logoutWaitMs);
      this.locks
        .request(this.lockName(), async () => {
          if (started) return;
          await start();
          if (this.handoffMs > 0) await sleep(this.handoffMs);
        })
        .catch(() => {
          if (!started) void start();
        });
    });
  }

  private refreshFailed(error: ApiError, staleToken: string | null): string | null {
    if (this.state.status === 'restoring' && error.status !== 0) {
      // No cookie or an old one on page load: simply not signed in.
      this.setSignedOut(error.code === 'REFRESH_REUSED' ? 'reuse_detected' : null);
      return null;
    }
    if (error.code !== 'NETWORK' && SESSION_ENDING.includes(error.code)) {
      this.endFromError(error.code);
      return null;
    }
    if (this.state.status === 'restoring') throw error;
    // Network trouble, 429 or 5xx: keep the session and try again shortly.
    this.schedule(this.retryMs);
    if (staleToken !== null && this.state.accessToken === staleToken) throw error;
    return this.state.accessToken;
  }

  private apply(response: AxiosResponse<AuthResponse>, broadcast: boolean): void {
    const body = response.data;
    const serverNow = Date.parse(String(response.headers.date ?? ''));
    const lifetimeMs = tokenLifetimeMs(
      body.accessToken,
      body.accessTokenExpiresAt,
      Number.isFinite(serverNow) ? serverNow : Date.now(),
    );
    const expiresAt = this.now() + lifetimeMs;
    // Measured against the server's clock, like the token: a wrong local clock moves both alike.
    const idleExpiresAt =
      this.now() +
      Date.parse(body.session.idleExpiresAt) -
      (Number.isFinite(serverNow) ? serverNow : Date.now());
    this.adopt(body.accessToken, expiresAt, lifetimeMs, idleExpiresAt, body.user, body.session);
    if (broadcast) {
      this.post({
        type: 'token',
        accessToken: body.accessToken,
        expiresAt,
        lifetimeMs,
        idleExpiresAt,
        user: body.user,
        session: body.session,
      });
    }
  }

  private adopt(
    accessToken: string,
    expiresAt: number,
    lifetimeMs: number,
    idleExpiresAt: number,
    user: User,
    session: AuthSessionSummary,
  ): void {
    this.lifetimeMs = lifetimeMs;
    this.lastRefreshAt = this.now();
    this.setState({
      status: 'signedIn',
      accessToken,
      expiresAt,
      idleExpiresAt,
      user,
      session,
      dormant: false,
      signedOutReason: null,
    });
    this.schedule(refreshDelayMs(expiresAt, lifetimeMs, this.now()));
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(this.onTimer, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    const { status, accessToken } = this.state;
    if (status !== 'signedIn' || this.signingOut !== null) return;
    if (shouldRefreshProactively(this.lastActivityAt, this.lastRefreshAt)) {
      this.refresh(accessToken).catch(() => undefined);
    } else {
      // Nobody touched the app since the last refresh: let the token lapse.
      this.setState({ dormant: true });
    }
  };

  private readonly onActivity = (): void => {
    this.lastActivityAt = this.now();
    const waiters = this.activityWaiters;
    this.activityWaiters = [];
    for (const wake of waiters) wake();
    const { status, accessToken, expiresAt, dormant } = this.state;
    // The press on "Sign out" is activity too, but nothing is refreshed once it has begun.
    if (status !== 'signedIn' || this.refreshing || this.signingOut !== null) return;
    if (dormant || isRefreshDue(expiresAt, this.lifetimeMs, this.now())) {
      this.refresh(accessToken).catch(() => undefined);
    }
  };

  private nextActivity(): Promise<void> {
    return new Promise((resolve) => this.activityWaiters.push(resolve));
  }

  private readonly onMessage = (event: MessageEvent): void => {
    const message = event.data as SessionMessage;
    if (message.type === 'token') {
      // A refresh another tab finished as this session ended must not sign this tab back in.
      if (this.signingOut !== null || this.endedSessions.has(message.session.id)) return;
      this.adopt(
        message.accessToken,
        message.expiresAt,
        message.lifetimeMs,
        message.idleExpiresAt,
        message.user,
        message.session,
      );
    } else if (this.state.status !== 'signedOut') {
      this.setSignedOut(message.reason === 'signed_out' ? 'signed_out_elsewhere' : message.reason);
    }
  };

  private post(message: SessionMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel (page unloading) is not worth failing a sign-in for.
    }
  }

  private setSignedOut(reason: SignedOutReason | null): void {
    const ended = this.state.session?.id;
    if (ended !== undefined) this.endedSessions.add(ended);
    this.epoch += 1;
    this.clearTimer();
    this.lifetimeMs = 0;
    const lastIdleTimeoutSeconds =
      this.state.session?.idleTimeoutSeconds ?? this.state.lastIdleTimeoutSeconds;
    this.state = { ...SIGNED_OUT, signedOutReason: reason, lastIdleTimeoutSeconds };
    this.emit();
  }

  private setState(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private async call<T>(send: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
    try {
      return await send();
    } catch (error) {
      if (axios.isAxiosError(error)) {
        const response = error.response;
        throw apiErrorFrom(response?.status ?? 0, response?.data, response?.headers['retry-after']);
      }
      throw error;
    }
  }
}

function isNetwork(error: unknown): boolean {
  return (error as Partial<ApiError> | null)?.code === 'NETWORK';
}

/** The session of one app in this tab. */
export function createSessionManager(options: SessionManagerOptions): SessionManager {
  return new SessionManager(options);
}
