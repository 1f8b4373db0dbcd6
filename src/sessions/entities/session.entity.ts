import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AppName } from '../../auth/auth-context.js';
import type { Role } from '../../users/role.js';
import type { RevocationReason } from '../revocation-reason.js';

/**
 * One sign-in of a user to one app. The refresh token is never stored: it is recomputed from the
 * id, the current `generation` and the secret `salt` (see refresh-token.ts).
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  app!: AppName;

  /** The user's role when they signed in; a role change revokes the session. */
  @Column('text')
  role!: Role;

  /** Rotation counter: the refresh token of generation `generation` is the current one. */
  @Column('integer')
  generation!: number;

  @Column('bytea')
  salt!: Buffer;

  /** When generation `generation - 1` was spent (starts the reuse grace window). */
  @Column('timestamptz', { name: 'rotated_at', nullable: true })
  rotatedAt!: Date | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Column('text')
  device!: string;

  @Column('text', { nullable: true })
  ip!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_active_at' })
  lastActiveAt!: Date;

  @Column('timestamptz', { name: 'idle_expires_at' })
  idleExpiresAt!: Date;

  /** Absolute end of the session. */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  /**
   * False for a customer-app session signed in without "Keep me signed in": it has the short
   * absolute lifetime, and its refresh cookie is a browser-session cookie on every refresh.
   */
  @Column('boolean')
  remember!: boolean;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason!: RevocationReason | null;
}
