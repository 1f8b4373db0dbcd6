import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { PushSubscriptionEntity } from './entities/push-subscription.entity.js';
import { PushController } from './push.controller.js';
import { PushSender } from './push-sender.js';
import { PushSubscriptionsRepository } from './push-subscriptions.repository.js';
import { PushService } from './push.service.js';
import { VAPID_KEYS } from './push.tokens.js';
import { resolveVapidKeys } from './vapid-keys.js';

/**
 * Ready alerts on a locked phone: Web Push subscriptions of customer app sessions, and the
 * messages sent to them when an order becomes ready or staff cancel it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PushSubscriptionEntity]), SessionsModule],
  controllers: [PushController],
  providers: [
    {
      provide: VAPID_KEYS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => resolveVapidKeys(config.push, config.dataDir) ?? null,
    },
    PushSubscriptionsRepository,
    PushService,
    PushSender,
  ],
})
export class PushModule {}
