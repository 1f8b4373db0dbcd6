import {
  Injectable,
  type OnApplicationShutdown,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { ErrorCode, defaultMessageOf } from '../common/errors/error-code.js';
import { DatabaseHealth } from '../database/database-health.js';
import { EventBus } from '../events/event-bus.js';
import type { ReadinessDto } from './health.dto.js';

/** Readiness of this instance: its dependencies answer and it is not shutting down. */
@Injectable()
export class HealthService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly database: DatabaseHealth,
    private readonly bus: EventBus,
  ) {}

  /** Readiness turns 503 the moment shutdown begins, so a load balancer stops sending traffic. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  beforeApplicationShutdown(): void {
    this.markShuttingDown();
  }

  onApplicationShutdown(): void {
    this.markShuttingDown();
  }

  async readiness(): Promise<ReadinessDto> {
    const [database, redis] = await Promise.all([this.database.isUp(), this.bus.probe()]);
    const checks = {
      database: database ? ('up' as const) : ('down' as const),
      // The event bus is what needs Redis to serve correctly (revocations, live events).
      redis,
    };
    if (!this.shuttingDown && checks.database === 'up' && checks.redis !== 'down') {
      return { status: 'ok', checks };
    }
    return {
      status: 'unavailable',
      checks,
      statusCode: 503,
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: this.shuttingDown
        ? 'This instance is shutting down.'
        : defaultMessageOf(ErrorCode.SERVICE_UNAVAILABLE),
    };
  }
}
