import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module.js';
import { AdminUsersModule } from './users/admin-users.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { loggerParams } from './common/logging.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import type { DatabaseTarget } from './database/data-source-options.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { EventStreamsModule } from './events/event-streams.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { VenueModule } from './venue/venue.module.js';
import { UsersModule } from './users/users.module.js';
import { MenuModule } from './menu/menu.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PushModule } from './push/push.module.js';
import { TablesModule } from './tables/tables.module.js';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    database: DatabaseTarget,
    extra: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        DatabaseModule.forRoot(database),
        EventsModule,
        UsersModule,
        AuditModule,
        SessionsModule,
        AuthModule,
        HealthModule,
        DemoModule,
        MenuModule,
        OrdersModule,
        VenueModule,
        TablesModule,
        EventStreamsModule,
        AdminUsersModule,
        PushModule,
        // Last: its global guard must run after the auth guard (it counts per signed-in user).
        RateLimitModule,
        ...extra,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
