import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventBus } from '../events/event-bus.js';
import { hashApiToken, isWellFormedApiToken } from './api-token-secret.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';

/** What the guard needs of a live token, cached per instance. */
interface KnownToken {
  readonly auth: AuthContext;
  readonly expiresAtMs: number | null;
  readonly cachedAtMs: number;
}

/** How long a cached lookup is trusted at most, events or not (belt and braces). */
const CACHE_TTL_MS = 60_000;
const CACHE_LIMIT = 10_000;
/** `last_used_at` is written at most this often per token and instance. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/**
 * Finds the caller of a `Bearer tap_…` request: the token's row by the SHA-256 of the token,
 * refused when unknown or revoked (`TOKEN_INVALID`) or expired (`TOKEN_EXPIRED`).
 *
 * Lookups are cached per instance, keyed by the hash, so an integration's steady traffic costs
 * no query. Every revocation (by the owner, or because the owner was deactivated or demoted)
 * commits with a `user.changed` of the owner, which every instance hears through the bus and
 * which drops the owner's cached tokens; a lookup that read the row before such an event is
 * not cached. While the bus is cut off from the other instances, nothing is cached and every
 * request reads the row (fails closed, like the sessions' revocation check).
 */
@Injectable()
export class ApiTokenDirectory implements OnModuleDestroy {
  private readonly logger = new Logger('ApiTokenDirectory');
  private readonly known = new Map<string, KnownToken>();
  private readonly lastUsedWrittenAt = new Map<string, number>();
  /** Bumped on every owner change, so a row read before it is never cached after it. */
  private epoch = 0;
  private readonly changedAt = new Map<string, number>();
  private clearedAtEpoch = 0;
  private connected = true;
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;

  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    bus: EventBus,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'user.changed') this.forgetOwner(event.userId);
    });
    this.unwatch = bus.onConnectivityChange((connected) => {
      this.connected = connected;
      this.epoch += 1;
      this.clearedAtEpoch = this.epoch;
      this.known.clear();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.unwatch();
  }

  /** The caller a presented token stands for, or the contract's 401. */
  authenticate(
    token: string,
    beforeLookup?: () => Promise<void>,
  ): AuthContext | Promise<AuthContext> {
    if (!isWellFormedApiToken(token)) throw new AppError(ErrorCode.TOKEN_INVALID);
    const hash = hashApiToken(token);
    const key = hash.toString('base64url');
    const now = Date.now();
    const cached = this.connected ? this.known.get(key) : undefined;
    if (cached !== undefined && now - cached.cachedAtMs < CACHE_TTL_MS) {
      return this.admit(cached, now);
    }
    return this.lookUp(hash, key, beforeLookup);
  }

  private async lookUp(
    hash: Buffer,
    key: string,
    beforeLookup: (() => Promise<void>) | undefined,
  ): Promise<AuthContext> {
    await beforeLookup?.();
    const readEpoch = this.epoch;
    const row = await this.tokens.findOne({
      select: { id: true, userId: true, scopes: true, expiresAt: true, revokedAt: true },
      where: { tokenHash: hash },
    });
    if (row?.revokedAt !== null) {
      this.known.delete(key);
      throw new AppError(ErrorCode.TOKEN_INVALID, 'This API token is unknown or was revoked.');
    }
    const known: KnownToken = {
      // Only admins hold live tokens: a token is revoked when its owner stops being one.
      auth: {
        userId: row.userId,
        sessionId: row.id,
        role: 'admin',
        app: 'admin',
        apiToken: { id: row.id, scopes: row.scopes },
      },
      expiresAtMs: row.expiresAt === null ? null : row.expiresAt.getTime(),
      cachedAtMs: Date.now(),
    };
    this.cache(key, known, readEpoch);
    return this.admit(known, Date.now());
  }

  private admit(known: KnownToken, now: number): AuthContext {
    if (known.expiresAtMs !== null && known.expiresAtMs <= now) {
      throw new AppError(ErrorCode.TOKEN_EXPIRED, 'This API token has expired.');
    }
    this.noteUse(known.auth.sessionId, now);
    return known.auth;
  }

  private cache(key: string, known: KnownToken, readEpoch: number): void {
    if (!this.connected || readEpoch < this.clearedAtEpoch) return;
    if ((this.changedAt.get(known.auth.userId) ?? 0) > readEpoch) return;
    if (this.known.size >= CACHE_LIMIT && !this.known.has(key)) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(key, known);
  }

  private forgetOwner(userId: string): void {
    this.epoch += 1;
    if (this.changedAt.size >= CACHE_LIMIT) this.changedAt.clear();
    this.changedAt.set(userId, this.epoch);
    for (const [key, known] of this.known) {
      if (known.auth.userId === userId) this.known.delete(key);
    }
  }

  /** Records the token's use, at most once a minute per instance, without holding the request. */
  private noteUse(tokenId: string, now: number): void {
    const last = this.lastUsedWrittenAt.get(tokenId);
    if (last !== undefined && now - last < LAST_USED_WRITE_INTERVAL_MS) return;
    if (this.lastUsedWrittenAt.size >= CACHE_LIMIT) this.lastUsedWrittenAt.clear();
    this.lastUsedWrittenAt.set(tokenId, now);
    this.tokens
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ lastUsedAt: new Date(now) })
      .where('id = :id AND revoked_at IS NULL', { id: tokenId })
      .execute()
      .catch((error: unknown) => {
        this.logger.warn({ err: error, tokenId }, 'Could not record API token use');
      });
  }
}
