import { createECDH } from 'node:crypto';
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
    if (!isP256Point(Buffer.from(body.keys.p256dh, 'base64url'))) {
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
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    // Outside production a push service on this machine (the tests' own) is fine.
    if (loopback && !this.config.isProduction) return;
    if (url.protocol !== 'https:') throw invalid('endpoint', 'endpoint must be an https URL');
    const host = url.hostname.toLowerCase();
    const known = this.config.push.serviceHosts.some(
      (service) => host === service || host.endsWith(`.${service}`),
    );
    if (!known) {
      throw invalid('endpoint', 'endpoint must be at a known push service (PUSH_SERVICE_HOSTS)');
    }
  }
}

/**
 * An uncompressed point on P-256 (0x04, x, y): computing a shared secret with it checks that it
 * is on the curve, as sending to it would, so a bad key is refused here rather than at send time.
 */
function isP256Point(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 0x04) return false;
  try {
    const probe = createECDH('prime256v1');
    probe.generateKeys();
    probe.computeSecret(key);
    return true;
  } catch {
    return false;
  }
}

function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, 'This push subscription is not valid.', [
    { field, errors: [message] },
  ]);
}
