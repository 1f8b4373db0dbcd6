import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { SessionEndHooks } from '../sessions/session-end-hooks.js';
import type { CreatePushSubscriptionDto } from './dto/push-subscription.dto.js';
import { PushSubscriptionsRepository } from './push-subscriptions.repository.js';
import type { PushKeyView, PushSubscriptionView } from './push-views.js';
import { VAPID_KEYS } from './push.tokens.js';
import type { VapidKeys } from './vapid-keys.js';

/** Hosts a push service may run on over plain http, outside production (tests run one). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Web Push subscriptions: the VAPID key browsers subscribe with, and each session's
 * subscriptions, which go when the session ends.
 */
@Injectable()
export class PushService implements OnModuleInit {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @Inject(VAPID_KEYS) private readonly keys: VapidKeys | null,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly sessionEnds: SessionEndHooks,
  ) {}

  onModuleInit(): void {
    this.sessionEnds.add((manager, sessionIds) =>
      this.subscriptions.deleteForSessions(manager, sessionIds),
    );
  }

  /** The VAPID public key; `503` when push is off (production without keys). */
  publicKey(): PushKeyView {
    return { publicKey: this.enabledKeys().publicKey };
  }

  /** Saves the caller's subscription for their session; the same endpoint again moves it here. */
  async subscribe(
    auth: AuthContext,
    body: CreatePushSubscriptionDto,
  ): Promise<PushSubscriptionView> {
    this.enabledKeys();
    this.checkEndpoint(body.endpoint);
    // An uncompressed P-256 point: 0x04, then x and y.
    if (Buffer.from(body.keys.p256dh, 'base64url')[0] !== 0x04) {
      throw invalid('keys.p256dh', 'p256dh must be an uncompressed P-256 public key');
    }
    const saved = await this.subscriptions.upsert({
      sessionId: auth.sessionId,
      userId: auth.userId,
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
    });
    return { id: saved.id, endpoint: body.endpoint, createdAt: saved.createdAt.toISOString() };
  }

  /** Deletes the caller's subscription with this endpoint (nothing to delete is fine). */
  unsubscribe(auth: AuthContext, endpoint: string): Promise<void> {
    return this.subscriptions.deleteOwn(auth.userId, endpoint);
  }

  private enabledKeys(): VapidKeys {
    if (this.keys === null) {
      throw new AppError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'Ready alerts are not set up on this server (VAPID keys are missing).',
      );
    }
    return this.keys;
  }

  private checkEndpoint(endpoint: string): void {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw invalid('endpoint', 'endpoint must be an https URL');
    }
    if (url.protocol === 'https:') return;
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (loopback && !this.config.isProduction) return;
    throw invalid('endpoint', 'endpoint must be an https URL');
  }
}

function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, 'This push subscription is not valid.', [
    { field, errors: [message] },
  ]);
}
