import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../role.js';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** As the user typed it (trimmed); null for a guest, and only for one. */
  @Column('text', { nullable: true })
  email!: string | null;

  /**
   * `canonicalEmail(email)` (see canonical-email.ts): what lookups, limits and uniqueness
   * compare; null with the email.
   */
  @Column('text', { name: 'email_canonical', nullable: true })
  emailCanonical!: string | null;

  @Column('text')
  name!: string;

  @Column('text')
  role!: Role;

  /** Null for a guest (who has no password, so no sign-in can ever match), and only for one. */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  /** A guest's table: every order of theirs is for it. Null for every other role. */
  @Column('integer', { name: 'table_number', nullable: true })
  tableNumber!: number | null;

  @Column('boolean')
  active!: boolean;

  /**
   * Bumped with every change to the password, the role or the activity: a sign-in compares it,
   * under the row's lock, with the version its password check read, so a check made before such a
   * change never creates a session after it.
   */
  @Column('integer', { name: 'credentials_version' })
  credentialsVersion!: number;

  /** Whether a sign-in asks for a TOTP code after the password (the secret: two-factor module). */
  @Column('boolean', { name: 'two_factor_enabled' })
  twoFactorEnabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
