import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { changeRows, selectRows } from '../database/sql-rows.js';
import { hashLinkToken, newLinkToken } from './link-secret.js';

/** What a mailed link lets its holder do, once. */
export type LinkPurpose = 'password_reset' | 'sign_out_everywhere';

/** How long a link works. */
const LINK_LIFETIME_SECONDS: Readonly<Record<LinkPurpose, number>> = {
  password_reset: 30 * 60,
  sign_out_everywhere: 7 * 24 * 3600,
};

/** A link token as found: whose it is. */
export interface LinkOwner {
  readonly id: string;
  readonly userId: string;
}

/**
 * The single-use tokens mails link to (`account_link_tokens`): 32 random bytes, of which only
 * the SHA-256 is stored. Spending one is a single conditional UPDATE, so of two concurrent uses
 * exactly one wins.
 */
@Injectable()
export class AccountLinks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Issues a token for `userId` in the caller's transaction (which holds the user's row lock)
   * and returns it (to be sealed into the mail's payload). The token is bound to the user's
   * credentials version as it is now: a deactivation, role change, password change or reset
   * moves it, and the link dies with it. Earlier unused links stay valid until used or expired
   * (so whichever mail arrives last, every link in them works); a successful reset voids them.
   */
  async issue(manager: EntityManager, userId: string, purpose: LinkPurpose): Promise<string> {
    const token = newLinkToken();
    await manager.query(
      `INSERT INTO account_link_tokens
              (id, user_id, purpose, token_hash, expires_at, credentials_version)
       SELECT $1, id, $3, $4, now() + make_interval(secs => $5), credentials_version
         FROM users WHERE id = $2`,
      [randomUUID(), userId, purpose, hashLinkToken(token), LINK_LIFETIME_SECONDS[purpose]],
    );
    return token;
  }

  /**
   * Whose the token is, if it is still usable (not spent, not expired, its user's credentials
   * version unchanged since issue); spends nothing.
   */
  async peek(
    token: string,
    purpose: LinkPurpose,
    manager?: EntityManager,
  ): Promise<LinkOwner | undefined> {
    const [row] = await selectRows<LinkOwner>(
      manager ?? this.dataSource.manager,
      `SELECT t.id, t.user_id AS "userId" FROM account_link_tokens t
         JOIN users u ON u.id = t.user_id AND u.credentials_version = t.credentials_version
        WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL
          AND t.expires_at > now()`,
      [hashLinkToken(token), purpose],
    );
    return row;
  }

  /**
   * Spends the token in the caller's transaction (call it with the user's row locked, so the
   * version it compares is the one that commits); undefined when it was not usable (any more).
   */
  async spend(
    manager: EntityManager,
    token: string,
    purpose: LinkPurpose,
  ): Promise<LinkOwner | undefined> {
    const { rows } = await changeRows(
      manager,
      `UPDATE account_link_tokens t SET used_at = now()
         FROM users u
        WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL
          AND t.expires_at > now()
          AND u.id = t.user_id AND u.credentials_version = t.credentials_version
        RETURNING t.id, t.user_id AS "userId"`,
      [hashLinkToken(token), purpose],
    );
    return rows[0] as LinkOwner | undefined;
  }

  /** Spends every unused token of the user for `purpose` (a reset makes older links void). */
  async spendAll(manager: EntityManager, userId: string, purpose: LinkPurpose): Promise<void> {
    await manager.query(
      `UPDATE account_link_tokens SET used_at = now()
        WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose],
    );
  }
}
