import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventOutbox, type EventTransaction } from '../events/event-outbox.js';
import { type AccountRecovery, AccountRecoveryHooks } from '../users/account-recovery-hooks.js';
import { AdminAccessHooks } from '../users/admin-access-hooks.js';
import { UsersService } from '../users/users.service.js';
import { API_TOKEN_SCOPE_NAMES } from './api-token-scopes.js';
import { hashApiToken, mintApiToken } from './api-token-secret.js';
import { toApiTokenView, toCreatedApiTokenView } from './api-token-view.js';
import type {
  ApiTokenViewDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
} from './dto/api-token.dto.js';
import { type ApiTokenRevocationReason, ApiTokenEntity } from './entities/api-token.entity.js';

const DAY_MS = 86_400_000;

/** Tokens are managed from the admin app only (an admin in the bartender app is refused). */
function assertAdminApp(auth: AuthContext): void {
  if (auth.app !== 'admin' || auth.role !== 'admin') {
    throw new AppError(ErrorCode.FORBIDDEN, 'API tokens are managed from the admin app.');
  }
}

function noSuchToken(): AppError {
  return new AppError(ErrorCode.NOT_FOUND, 'No such API token.');
}

/**
 * Owns `api_tokens`: an admin creates tokens for integrations (shown once, kept as a SHA-256),
 * lists and revokes their own. A token goes when its owner stops being an active admin, in the
 * transaction of that change (a hook of the users module). Creations and revocations are audited
 * in their transaction; every revocation commits with a `user.changed` of the owner, which drops
 * cached lookups on every instance (see {@link ApiTokenDirectory}).
 */
@Injectable()
export class ApiTokensService implements OnModuleInit {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditService,
    private readonly adminAccess: AdminAccessHooks,
    private readonly recovery: AccountRecoveryHooks,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.adminAccess.add((tx, userId, how) =>
      this.revokeAllOf(tx, userId, how === 'deactivated' ? 'owner_deactivated' : 'owner_demoted'),
    );
    // Whoever else held the account (and the password) may have made a token: it goes too.
    this.recovery.add((tx, userId, how: AccountRecovery) =>
      this.revokeAllOf(
        tx,
        userId,
        how === 'password_reset' ? 'owner_password_reset' : 'owner_signed_out_everywhere',
      ),
    );
  }

  /** A new token of the caller's; the response is the only place the token ever appears. */
  async create(
    input: CreateApiTokenDto,
    auth: AuthContext,
    ip: string | null,
  ): Promise<CreatedApiTokenDto> {
    assertAdminApp(auth);
    const actor: Actor = { userId: auth.userId, sessionId: auth.sessionId, ip };
    const token = mintApiToken();
    const now = new Date();
    // Stored in the order of the scope table, whatever order they came in.
    const scopes = API_TOKEN_SCOPE_NAMES.filter((scope) => input.scopes.includes(scope));
    const row = this.tokens.create({
      id: randomUUID(),
      userId: actor.userId,
      name: input.name,
      scopes,
      tokenHash: hashApiToken(token),
      createdAt: now,
      expiresAt:
        input.expiresInDays === undefined
          ? null
          : new Date(now.getTime() + input.expiresInDays * DAY_MS),
      lastUsedAt: null,
      revokedAt: null,
      revokedReason: null,
    });
    await this.outbox.transaction(async ({ manager }) => {
      // The owner's row, held until commit: a demotion or deactivation that committed first is
      // seen here, and one that comes later waits and then revokes this token with the rest.
      const owner = await this.users.lockById(actor.userId, manager, 'share');
      if (owner?.role !== 'admin' || !owner.active) {
        throw new AppError(ErrorCode.FORBIDDEN, 'Only an active admin can make API tokens.');
      }
      await manager.getRepository(ApiTokenEntity).insert(row);
      await this.audit.record(
        {
          type: 'api_token_created',
          userId: actor.userId,
          sessionId: actor.sessionId,
          ip: actor.ip,
          details: { name: row.name, scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
        },
        manager,
      );
    });
    return toCreatedApiTokenView(row, token);
  }

  /** The caller's live tokens (expired ones included, until revoked), newest first. */
  async list(auth: AuthContext): Promise<ApiTokenViewDto[]> {
    assertAdminApp(auth);
    const userId = auth.userId;
    const rows = await this.tokens.find({
      where: { userId, revokedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    return rows.map(toApiTokenView);
  }

  /** Revokes one of the caller's tokens; another's, or one already revoked, is `404`. */
  async revoke(id: string, auth: AuthContext, ip: string | null): Promise<void> {
    assertAdminApp(auth);
    const actor: Actor = { userId: auth.userId, sessionId: auth.sessionId, ip };
    await this.outbox.transaction(async (tx) => {
      const [row] = await this.revokeWhere(
        tx.manager,
        'id = :id AND user_id = :userId',
        {
          id,
          userId: actor.userId,
        },
        'revoked',
      );
      if (row === undefined) throw noSuchToken();
      await this.recordRevocation(tx.manager, row, 'revoked', actor);
      tx.emit({ type: 'user.changed', userId: actor.userId });
    });
  }

  /**
   * The hooks: every live token of a user who stopped being an active admin, or who recovered
   * their account (a password reset, "sign out everywhere"), in `tx`.
   */
  private async revokeAllOf(
    tx: EventTransaction,
    userId: string,
    reason: ApiTokenRevocationReason,
  ): Promise<void> {
    const rows = await this.revokeWhere(tx.manager, 'user_id = :userId', { userId }, reason);
    for (const row of rows) await this.recordRevocation(tx.manager, row, reason, null);
    if (rows.length > 0) tx.emit({ type: 'user.changed', userId });
  }

  private async revokeWhere(
    manager: EntityManager,
    where: string,
    parameters: Record<string, string>,
    reason: ApiTokenRevocationReason,
  ): Promise<{ id: string; userId: string; name: string }[]> {
    const result = await manager
      .getRepository(ApiTokenEntity)
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where(`${where} AND revoked_at IS NULL`, parameters)
      .returning('id, user_id, name')
      .execute();
    const raw = result.raw as { id: string; user_id: string; name: string }[];
    return raw.map((row) => ({ id: row.id, userId: row.user_id, name: row.name }));
  }

  private async recordRevocation(
    manager: EntityManager,
    row: { id: string; userId: string; name: string },
    reason: ApiTokenRevocationReason,
    actor: Actor | null,
  ): Promise<void> {
    await this.audit.record(
      {
        type: 'api_token_revoked',
        userId: row.userId,
        sessionId: actor?.sessionId ?? null,
        ip: actor?.ip ?? null,
        details: { name: row.name, reason },
      },
      manager,
    );
  }
}
