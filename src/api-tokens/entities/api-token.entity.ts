import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApiTokenScope } from '../api-token-scopes.js';

/** Why a token stopped working. */
export type ApiTokenRevocationReason =
  | 'revoked'
  | 'owner_deactivated'
  | 'owner_demoted'
  | 'owner_password_reset'
  | 'owner_signed_out_everywhere';

/** An admin's API token. The token itself is never stored: only its SHA-256. */
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** The admin the token acts as. */
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  name!: string;

  @Column('text', { array: true })
  scopes!: ApiTokenScope[];

  @Column('bytea', { name: 'token_hash' })
  tokenHash!: Buffer;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  /** Null: never expires. */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  /** Written at most once a minute per instance. */
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason!: ApiTokenRevocationReason | null;
}
