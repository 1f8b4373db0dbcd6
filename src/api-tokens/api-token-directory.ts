import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventBus } from '../events/event-bus.js';
import { UserScopedCache } from '../events/user-scoped-cache.js';
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
  /** Keyed by the token's hash; an owner's change drops the owner's tokens. */
  private readonly known: UserScopedCache<string, KnownToken>;
  private readonly lastUsedWrittenAt = new Map<string, number>();

  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    bus: EventBus,
  ) {
    this.known = new UserScopedCache(bus, (token) => token.auth.userId, CACHE_LIMIT);
  }

  onModuleDestroy(): void {
    this.known.close();
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
    const cached = this.known.get(key);
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
    const readEpoch = this.known.currentEpoch();
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
    this.known.set(key, known, readEpoch);
    return this.admit(known, Date.now());
  }

  private admit(known: KnownToken, now: number): AuthContext {
    if (known.expiresAtMs !== null && known.expiresAtMs <= now) {
      throw new AppError(ErrorCode.TOKEN_EXPIRED, 'This API token has expired.');
    }
    this.noteUse(known.auth.sessionId, now);
    return known.auth;
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
