import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull, type Repository } from 'typeorm';
import type { AppName } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { EventOutbox, type EventTransaction } from '../events/event-outbox.js';
import type { Role } from '../users/role.js';
import { type User, UsersService } from '../users/users.service.js';
import { deviceLabel } from './device-label.js';
import { SessionEntity } from './entities/session.entity.js';
import { RefreshTokenCodec } from './refresh-token.js';
import type { RevocationReason } from './revocation-reason.js';
import { SecurityAudit } from './session-audit.js';
import { SessionPolicy } from './session-policy.js';
import { SessionStartHooks } from './session-start-hooks.js';
import { type RevocationOptions, type RevokedSession, SessionRevoker } from './session-revoker.js';
import { type SessionSummary, toSessionSummary } from './session-view.js';

/** Activity is written at most this often per session, outside refreshes (less for short idle timeouts). */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;
const SUMMARY_CACHE_LIMIT = 50_000;

export interface StartSessionInput {
  readonly userId: string;
  readonly role: Role;
  /** The user's credentials version as read when the password was checked. */
  readonly credentialsVersion: number;
  readonly app: AppName;
  readonly userAgent: string | undefined;
  readonly ip: string | null;
  /**
   * False when a customer signs in to the customer app without "Keep me signed in": the short
   * absolute lifetime and a browser-session cookie. Callers pass true for staff apps.
   */
  readonly remember: boolean;
}

/** When a live session ends: if nothing happens, and at the latest. */
export interface SessionDeadlines {
  readonly idleExpiresAt: Date;
  readonly expiresAt: Date;
}

/** A refreshed session, with its user as read under the lock that the refresh held. */
export interface RefreshedSession extends IssuedSession {
  readonly user: User;
}

/** A session together with its current refresh token (returned once, never stored). */
export interface IssuedSession {
  readonly session: SessionSummary;
  readonly userId: string;
  readonly role: Role;
  readonly refreshToken: string;
  /** Whether the refresh cookie outlives the browser session (see `StartSessionInput.remember`). */
  readonly remember: boolean;
}

/**
 * What `me` needs of a session without reading its row again, and the last summary made of it
 * (`me` is asked with every page load and poll: the same answer is not formatted again until the
 * idle deadline moves).
 */
interface CachedSession extends Pick<
  SessionEntity,
  'id' | 'app' | 'role' | 'expiresAt' | 'idleExpiresAt'
> {
  last?: { readonly idleMs: number; readonly summary: Readonly<SessionSummary> };
}

export interface UserSessionsRevocationOptions extends RevocationOptions {
  /** Keep this session (e.g. the caller's current one). */
  readonly exceptSessionId?: string;
}

/**
 * Owns the `sessions` table: starts sessions under the per-role cap, rotates refresh tokens with
 * reuse detection, records activity, and is the entry point for revocations.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  readonly policy: SessionPolicy;
  private readonly codec: RefreshTokenCodec;
  private readonly graceMs: number;
  /** Session id → when its activity was last written (ms). */
  private readonly activityWrittenAt = new Map<string, number>();
  /** Per-instance cache of what `me` answers with: the immutable part of a session, and its idle deadline as last known. */
  private readonly summaries = new Map<string, CachedSession>();

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly users: UsersService,
    private readonly revoker: SessionRevoker,
    private readonly audit: SecurityAudit,
    private readonly outbox: EventOutbox,
    private readonly startHooks: SessionStartHooks,
  ) {
    this.policy = new SessionPolicy(config.sessions);
    this.codec = new RefreshTokenCodec(config.secrets.refreshTokenKey);
    this.graceMs = config.refreshReuseGraceSeconds * 1000;
  }

  /**
   * Starts a session after a successful password check. Under a lock on the user's row it counts
   * the user's live sessions in the app and evicts the least recently active ones (mode
   * `evict_oldest`) or refuses with `SESSION_LIMIT` (mode `deny_new`).
   */
  async start(input: StartSessionInput): Promise<IssuedSession> {
    const salt = randomBytes(32);
    const session = await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const user = await this.users.lockById(input.userId, manager);
      // A password, role or activity change that committed since the password check was made
      // moved the version (and ended the sessions there were, under this same lock): the check
      // no longer proves anything, and no session may slip in after the change.
      if (
        !user?.active ||
        user.role !== input.role ||
        user.credentialsVersion !== input.credentialsVersion
      ) {
        throw new AppError(ErrorCode.INVALID_CREDENTIALS);
      }
      const now = new Date();
      const active = await manager.getRepository(SessionEntity).find({
        select: { id: true, lastActiveAt: true, expiresAt: true, idleExpiresAt: true },
        where: { userId: input.userId, app: input.app, revokedAt: IsNull() },
      });
      const live = active.filter((candidate) => !this.policy.isOver(candidate, now));
      const admission = this.policy.admit(input.role, live);
      if (!admission.admitted) throw new AppError(ErrorCode.SESSION_LIMIT);
      const evicted = await this.revoker.revokeInTransaction(
        tx,
        { userId: input.userId, sessionIds: admission.evict },
        'evicted',
        { ip: input.ip },
      );
      const remember = input.remember || input.role !== 'customer';
      const row = manager.getRepository(SessionEntity).create({
        id: randomUUID(),
        userId: input.userId,
        app: input.app,
        role: input.role,
        generation: 0,
        salt,
        rotatedAt: null,
        userAgent: input.userAgent?.slice(0, 512) ?? null,
        device: deviceLabel(input.userAgent),
        ip: input.ip,
        createdAt: now,
        lastActiveAt: now,
        ...this.policy.deadlinesAt(input.role, now, remember),
        remember,
        revokedAt: null,
        revokedReason: null,
      });
      await manager.getRepository(SessionEntity).insert(row);
      await this.audit.record(
        {
          type: 'login_succeeded',
          userId: input.userId,
          sessionId: row.id,
          ip: input.ip,
          details: {
            app: input.app,
            device: row.device,
            evicted: evicted.map((s) => s.id),
            ...(remember ? {} : { remember: false }),
          },
        },
        manager,
      );
      await this.startHooks.started(manager, {
        sessionId: row.id,
        userId: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        app: input.app,
        device: row.device,
        ip: input.ip,
        at: now,
      });
      return row;
    });
    return this.issued(session);
  }

  /**
   * Exchanges a refresh token for the session's next one. The current generation rotates (a
   * conditional update, so concurrent refreshes of one token rotate once); the previous one
   * within the grace window gets the current token back; any other spent one revokes the session.
   *
   * It decides under a shared lock on the user's row. A password, role or activity change takes
   * that row's exclusive lock and ends the user's sessions in its own transaction, so it has
   * either committed before (and the session, read under the lock, is seen revoked) or waits
   * until this refresh has committed (and then ends the session it refreshed): no token is ever
   * refreshed on the strength of a user state that a committed change replaced.
   */
  async refresh(token: string, app: AppName, ip: string | null): Promise<RefreshedSession> {
    const parsed = this.codec.parse(token);
    if (!parsed) throw new AppError(ErrorCode.REFRESH_INVALID);
    const found = await this.sessions.findOneBy({ id: parsed.sessionId });
    if (
      found?.app !== app ||
      parsed.generation > found.generation ||
      !this.codec.verify(parsed, found.salt)
    ) {
      throw new AppError(ErrorCode.REFRESH_INVALID);
    }
    this.assertUsable(found);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.lockById(found.userId, manager, 'share');
      const sessions = manager.getRepository(SessionEntity);
      let session = await this.usableSession(sessions, found.id);
      if (!user?.active || user.role !== session.role) {
        // Deactivations and role changes end the sessions; this covers one made by hand.
        throw new AppError(ErrorCode.SESSION_REVOKED);
      }
      const now = new Date();
      if (parsed.generation === session.generation) {
        const rotated = await this.rotate(manager, session, now);
        if (rotated) return { kind: 'issued' as const, session: rotated, user };
        // Another request rotated this generation first: judge the token against the new state.
        session = await this.usableSession(sessions, found.id);
      }
      const withinGrace =
        parsed.generation === session.generation - 1 &&
        session.rotatedAt !== null &&
        now.getTime() - session.rotatedAt.getTime() <= this.graceMs;
      return { kind: withinGrace ? ('issued' as const) : ('reused' as const), session, user };
    });
    if (outcome.kind === 'issued') return { ...this.issued(outcome.session), user: outcome.user };
    await this.revokeForReuse(outcome.session, parsed.generation, ip);
    throw new AppError(ErrorCode.REFRESH_REUSED);
  }

  /**
   * When the session ends if nothing happens (its idle deadline, which activity pushes on) and
   * at the latest, read from its row (never from a cache); `SESSION_REVOKED` when it has been
   * revoked or has run out. With `manager`, read in the caller's transaction, after the locks it
   * holds: for a change made on the strength of the session (a new password), or a stream being
   * opened, that must not outlive a revocation that committed meanwhile.
   */
  async assertActive(sessionId: string, manager?: EntityManager): Promise<SessionDeadlines> {
    const repository = manager ? manager.getRepository(SessionEntity) : this.sessions;
    const session = await repository.findOneBy({ id: sessionId });
    const live = session?.revokedAt === null && !this.policy.isOver(session, new Date());
    if (!session || !live) throw new AppError(ErrorCode.SESSION_REVOKED);
    return { idleExpiresAt: session.idleExpiresAt, expiresAt: session.expiresAt };
  }

  /**
   * Which of `sessionIds` are still usable (not revoked, inside both deadlines), read from their
   * rows: for work done on a session's behalf later, such as a ready alert to its phone.
   */
  async liveAmong(sessionIds: readonly string[]): Promise<Set<string>> {
    if (sessionIds.length === 0) return new Set();
    const rows = await this.sessions
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.id = ANY(:ids::uuid[])', { ids: [...sessionIds] })
      .andWhere('s.revoked_at IS NULL AND s.expires_at > now() AND s.idle_expires_at > now()')
      .getRawMany<{ id: string }>();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Notes activity on a guarded request: written at most once a minute per session per
   * instance (a quarter of the idle timeout when that is shorter, so a session in use never
   * reaches its deadline), in the background, pushing the idle deadline forward.
   */
  touch(sessionId: string, role: Role): void {
    const now = Date.now();
    const idleMs = this.policy.forRole(role).idleSeconds * 1000;
    const last = this.activityWrittenAt.get(sessionId);
    if (last !== undefined && now - last < Math.min(ACTIVITY_WRITE_INTERVAL_MS, idleMs / 4)) return;
    this.rememberActivity(sessionId, now);
    const idleUntil = new Date(now + idleMs);
    this.sessions
      .createQueryBuilder()
      .update(SessionEntity)
      .set({
        lastActiveAt: new Date(now),
        idleExpiresAt: () => 'LEAST(:idleUntil::timestamptz, expires_at)',
      })
      .setParameter('idleUntil', idleUntil)
      // A session past its idle (or absolute) deadline stays over: a request made with an access
      // token that outlived it must not bring it back.
      .where('id = :id AND revoked_at IS NULL AND idle_expires_at > now() AND expires_at > now()', {
        id: sessionId,
      })
      .execute()
      .catch((error: unknown) => {
        this.logger.warn({ err: error, sessionId }, 'Could not record session activity');
      });
  }

  /**
   * Makes the user's live sessions sessions of `role`, inside the caller's transaction (which
   * holds the user's row lock and changes the user's role to it): a guest who upgrades keeps
   * their session, which refreshes from then on as a customer's. Its deadlines stay as they are.
   */
  async adoptRole(manager: EntityManager, userId: string, role: Role): Promise<void> {
    await manager.getRepository(SessionEntity).update({ userId, revokedAt: IsNull() }, { role });
  }

  /**
   * A session's summary, from the per-instance cache when possible. Its idle deadline is the
   * latest this instance knows of (the row's, or this instance's last write of activity, which
   * the guard has just made for the request asking): never later than the real one, which
   * another instance may have pushed further.
   */
  summary(sessionId: string): SessionSummary | Promise<SessionSummary> {
    const cached = this.summaries.get(sessionId);
    if (cached !== undefined) return this.summaryOf(cached);
    return this.loadSummary(sessionId).then((loaded) => this.summaryOf(loaded));
  }

  private summaryOf(cached: CachedSession): SessionSummary {
    const idleSeconds = this.policy.forRole(cached.role).idleSeconds;
    const written = this.activityWrittenAt.get(cached.id);
    const idle = Math.max(
      cached.idleExpiresAt.getTime(),
      written === undefined ? 0 : written + idleSeconds * 1000,
    );
    const idleMs = Math.min(idle, cached.expiresAt.getTime());
    const last = cached.last;
    if (last?.idleMs === idleMs && last.summary.idleTimeoutSeconds === idleSeconds) {
      return last.summary;
    }
    // Shared by every answer until the deadline moves: frozen, so none can change another's.
    const summary = Object.freeze(toSessionSummary(cached, new Date(idleMs), idleSeconds));
    cached.last = { idleMs, summary };
    return summary;
  }

  private async loadSummary(sessionId: string): Promise<CachedSession> {
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!session) throw new AppError(ErrorCode.SESSION_REVOKED);
    this.cacheSummary(session);
    return session;
  }

  /** The session's id and user when the refresh token is genuine (whatever its generation). */
  async identifyByRefreshToken(
    token: string,
  ): Promise<{ sessionId: string; userId: string; app: AppName } | undefined> {
    const parsed = this.codec.parse(token);
    if (!parsed) return undefined;
    const session = await this.sessions.findOneBy({ id: parsed.sessionId });
    if (!session || parsed.generation > session.generation) return undefined;
    if (!this.codec.verify(parsed, session.salt)) return undefined;
    return { sessionId: session.id, userId: session.userId, app: session.app };
  }

  /** Ends one session (any reason), in its own transaction, and publishes it. */
  revokeSession(
    sessionId: string,
    reason: RevocationReason,
    options: RevocationOptions = {},
  ): Promise<RevokedSession[]> {
    return this.revoker.revoke({ sessionId }, reason, options);
  }

  /** Ends every active session of a user (all apps), in its own transaction, and publishes. */
  revokeUserSessions(
    userId: string,
    reason: RevocationReason,
    options: UserSessionsRevocationOptions = {},
  ): Promise<RevokedSession[]> {
    return this.revoker.revoke(
      { userId, exceptSessionId: options.exceptSessionId },
      reason,
      options,
    );
  }

  /**
   * Like {@link revokeUserSessions}, inside the caller's unit of work (so it commits with, e.g.,
   * a role change, and is published when that has committed).
   */
  revokeUserSessionsInTransaction(
    tx: EventTransaction,
    userId: string,
    reason: RevocationReason,
    options: UserSessionsRevocationOptions = {},
  ): Promise<RevokedSession[]> {
    return this.revoker.revokeInTransaction(
      tx,
      { userId, exceptSessionId: options.exceptSessionId },
      reason,
      options,
    );
  }

  /** Recomputes the session's current refresh token and caches its summary. */
  private issued(session: SessionEntity): IssuedSession {
    this.rememberActivity(session.id, Date.now());
    return {
      session: this.cacheSummary(session),
      userId: session.userId,
      role: session.role,
      refreshToken: this.codec.mint(session.id, session.generation, session.salt),
      remember: session.remember,
    };
  }

  private assertUsable(session: SessionEntity): void {
    if (session.revokedAt !== null) {
      // A session that simply ran out reads as an invalid token, not as one someone ended.
      throw new AppError(
        session.revokedReason === 'expired' ? ErrorCode.REFRESH_INVALID : ErrorCode.SESSION_REVOKED,
      );
    }
    if (this.policy.isOver(session, new Date())) throw new AppError(ErrorCode.REFRESH_INVALID);
  }

  private async usableSession(
    sessions: Repository<SessionEntity>,
    id: string,
  ): Promise<SessionEntity> {
    const session = await sessions.findOneBy({ id });
    if (!session) throw new AppError(ErrorCode.REFRESH_INVALID);
    this.assertUsable(session);
    return session;
  }

  /** Moves the session to its next generation unless another request already did. */
  private async rotate(
    manager: EntityManager,
    session: SessionEntity,
    now: Date,
  ): Promise<SessionEntity | undefined> {
    const idleExpiresAt = this.policy.idleDeadline(session.role, now, session.expiresAt);
    const result = await manager
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ generation: session.generation + 1, rotatedAt: now, lastActiveAt: now, idleExpiresAt })
      .where('id = :id AND generation = :generation AND revoked_at IS NULL', {
        id: session.id,
        generation: session.generation,
      })
      .execute();
    if (result.affected !== 1) return undefined;
    return Object.assign(new SessionEntity(), session, {
      generation: session.generation + 1,
      rotatedAt: now,
      lastActiveAt: now,
      idleExpiresAt,
    });
  }

  private async revokeForReuse(
    session: SessionEntity,
    generation: number,
    ip: string | null,
  ): Promise<void> {
    await this.outbox.transaction(async (tx) => {
      await this.audit.record(
        {
          type: 'refresh_reused',
          userId: session.userId,
          sessionId: session.id,
          ip,
          details: { presentedGeneration: generation, currentGeneration: session.generation },
        },
        tx.manager,
      );
      await this.revoker.revokeInTransaction(tx, { sessionId: session.id }, 'reuse_detected', {
        ip,
      });
    });
  }

  private rememberActivity(sessionId: string, at: number): void {
    if (this.activityWrittenAt.size >= SUMMARY_CACHE_LIMIT) {
      for (const [id, written] of this.activityWrittenAt) {
        if (at - written >= ACTIVITY_WRITE_INTERVAL_MS) this.activityWrittenAt.delete(id);
      }
    }
    this.activityWrittenAt.set(sessionId, at);
  }

  private cacheSummary(session: SessionEntity): SessionSummary {
    const { id, app, role, expiresAt, idleExpiresAt } = session;
    if (this.summaries.size >= SUMMARY_CACHE_LIMIT) {
      const oldest = this.summaries.keys().next();
      if (!oldest.done) this.summaries.delete(oldest.value);
    }
    this.summaries.set(id, { id, app, role, expiresAt, idleExpiresAt });
    return toSessionSummary(session, idleExpiresAt, this.policy.forRole(role).idleSeconds);
  }
}
