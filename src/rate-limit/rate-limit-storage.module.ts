import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MemoryRateLimitStorage } from './memory-rate-limit-storage.js';
import { RateLimitStorage } from './rate-limit-storage.js';
import { RedisRateLimitStorage } from './redis-rate-limit-storage.js';

/** The counters' storage: Redis when `REDIS_URL` is set (shared by instances), else memory. */
@Module({
  providers: [
    {
      provide: RateLimitStorage,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<RateLimitStorage> => {
        if (config.redisUrl === undefined) return new MemoryRateLimitStorage();
        const storage = new RedisRateLimitStorage(config.redisUrl, config.redisKeyPrefix);
        await storage.connect();
        return storage;
      },
    },
  ],
  exports: [RateLimitStorage],
})
export class RateLimitStorageModule {}
