import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import webPush from 'web-push';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { EventBus } from '../events/event-bus.js';
import type { OrderView } from '../orders/order-view.js';
import { type PushMessage, type PushWork, pushWorkFor } from './push-message.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { type PushTarget, PushSubscriptionsRepository } from './push-subscriptions.repository.js';
import { VAPID_KEYS } from './push.tokens.js';
import type { VapidKeys } from './vapid-keys.js';

/** A lock screen message about a drink is worth nothing after ten minutes. */
const TTL_SECONDS = 600;
/** How long one push service may take to answer. */
const SEND_TIMEOUT_MS = 10_000;
/** Delivery keys are pruned at most this often (per instance). */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Sends the Web Push messages of order events: when an order becomes ready, or staff cancel it,
 * each of its owner's subscriptions gets one. It listens on the bus, so it runs after the
 * change has committed and never holds up or fails the change. Every instance hears every
 * logged event; a delivery key claimed in the database lets only one of them send. Messages go
 * out one after another in event order; a failed one is logged and dropped (a push service
 * queues for a locked phone itself), and an endpoint that answers 404 or 410 is deleted.
 */
@Injectable()
export class PushSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PushSender');
  private unsubscribe: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private lastPrune = 0;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @Inject(VAPID_KEYS) private readonly keys: VapidKeys | null,
    private readonly bus: EventBus,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly sessions: SessionsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.keys === null) {
      this.logger.warn('Ready alerts are off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY');
      return;
    }
    const keys = this.keys;
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.type !== 'order.updated') return;
      const work = pushWorkFor(event.order as OrderView, this.config.serviceMode);
      if (work === undefined) return;
      this.queue = this.queue
        .then(() => this.deliver(event.customerId, work, keys))
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'Could not send the ready alerts of an order');
        });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.queue;
  }

  private async deliver(userId: string, work: PushWork, keys: VapidKeys): Promise<void> {
    if (!(await this.subscriptions.claimDelivery(work.key))) return;
    await this.pruneNowAndThen();
    // Revocations delete their subscriptions; a session past its deadline that the maintenance
    // job has not marked yet is left out here.
    const targets = await this.subscriptions.forUser(userId);
    const live = await this.sessions.liveAmong(targets.map((target) => target.sessionId));
    for (const target of targets) {
      if (live.has(target.sessionId)) await this.send(target, work.message, keys);
    }
  }

  private async send(target: PushTarget, message: PushMessage, keys: VapidKeys): Promise<void> {
    // The endpoint's path is the subscription's secret: only its origin is ever logged.
    const origin = new URL(target.endpoint).origin;
    let status: number;
    // Whatever goes wrong with one subscription (even a key that cannot encrypt) is that one's:
    // the user's other devices still hear.
    try {
      const request = webPush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        JSON.stringify(message),
        {
          vapidDetails: { subject: this.config.push.subject, ...keys },
          TTL: TTL_SECONDS,
          urgency: 'high',
          contentEncoding: 'aes128gcm',
        },
      );
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      this.logger.warn(
        { origin, reason: error instanceof Error ? error.name : 'unknown' },
        'A push could not be sent (service unreachable or subscription unusable); dropped',
      );
      return;
    }
    if (status === 404 || status === 410) {
      await this.subscriptions.deleteEndpoint(target.endpoint);
      this.logger.log({ origin, status }, 'A push subscription has expired; deleted it');
    } else if (status < 200 || status >= 300) {
      this.logger.warn({ origin, status }, 'A push service refused an alert; it is dropped');
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.subscriptions.pruneDeliveries();
  }
}
