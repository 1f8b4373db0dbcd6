import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A browser's Web Push subscription, made by one session of the customer app. It goes when the
 * session ends (see `PushSubscriptions`), and when its push service says it is gone (404/410).
 */
@Entity('push_subscriptions')
export class PushSubscriptionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** The push service's URL for this browser: a capability, never logged whole. */
  @Column('text')
  endpoint!: string;

  /** The browser's P-256 public key (base64url), for the payload's encryption (RFC 8291). */
  @Column('text')
  p256dh!: string;

  /** The browser's 16-byte authentication secret (base64url). */
  @Column('text')
  auth!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
