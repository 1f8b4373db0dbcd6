import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../role.js';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** As the user typed it (trimmed). */
  @Column('text')
  email!: string;

  /** `canonicalEmail(email)` (see canonical-email.ts): what lookups, limits and uniqueness compare. */
  @Column('text', { name: 'email_canonical' })
  emailCanonical!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: Role;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('boolean')
  active!: boolean;

  /**
   * Bumped with every change to the password, the role or the activity: a sign-in compares it,
   * under the row's lock, with the version its password check read, so a check made before such a
   * change never creates a session after it.
   */
  @Column('integer', { name: 'credentials_version' })
  credentialsVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
