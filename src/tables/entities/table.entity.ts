import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A table of the venue, with the QR code that seats guests at it. The code's token is never
 * stored: `tokenNonce` and a server secret derive it, `tokenHash` finds the table from it (see
 * table-token.ts).
 */
@Entity('tables')
export class TableEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** 1–999, unique: what orders and the staff call the table. */
  @Column('integer')
  number!: number;

  /** A name for people ("Window", "Terrace 2"); null when none. */
  @Column('text', { nullable: true })
  label!: string | null;

  /** 32 random bytes, replaced on every rotation. */
  @Column('bytea', { name: 'token_nonce' })
  tokenNonce!: Buffer;

  /** SHA-256 of the current token: a presented token is looked up by it. */
  @Column('bytea', { name: 'token_hash' })
  tokenHash!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
