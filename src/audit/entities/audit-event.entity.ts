import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuditEventType } from '../audit-event-type.js';

@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Insertion order; breaks ties between events of the same instant so pages are stable. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('text')
  type!: AuditEventType;

  /** Set by the database (`clock_timestamp()`), so events of one transaction keep their order. */
  @Column({ type: 'timestamptz', insert: false, update: false })
  at!: Date;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Column('uuid', { name: 'session_id', nullable: true })
  sessionId!: string | null;

  @Column('text', { nullable: true })
  ip!: string | null;

  @Column('jsonb')
  details!: Record<string, unknown>;
}
