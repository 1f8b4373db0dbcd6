import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { MemoryRateLimitStorage } from './memory-rate-limit-storage.js';
import {
  type LimitRule,
  RateLimitStorage,
  type Reservation,
  type Reservations,
  type WindowCount,
} from './rate-limit-storage.js';

/** Each script reads and writes one key atomically; Redis runs a script without interleaving. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const RESERVE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if count >= tonumber(ARGV[2]) and ttl > 0 then
  return {0, count, ttl}
end
count = redis.call('INCR', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {1, count, ttl}`;

/** KEYS: the counters; ARGV: each one's window (ms) and limit, in pairs. All counted, or none. */
const RESERVE_ALL = `
local refused, longest = 0, -1
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  local ttl = redis.call('PTTL', KEYS[i])
  if count >= tonumber(ARGV[2 * i]) and ttl > 0 and ttl > longest then
    refused, longest = i, ttl
  end
end
if refused > 0 then return {0, refused, longest} end
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i])
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i - 1]) end
end
return {1, 0, 0}`;

const PEEK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {count, ttl}`;

const RELEASE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

interface RateLimitCommands {
  rlHit(key: string, windowMs: number): Promise<[number, number]>;
  rlReserve(key: string, windowMs: number, limit: number): Promise<[number, number, number]>;
  rlReserveAll(
    numberOfKeys: number,
    ...keysThenArgs: (string | number)[]
  ): Promise<[number, number, number]>;
  rlPeek(key: string): Promise<[number, number]>;
  rlRelease(key: string): Promise<number>;
}

type RateLimitRedis = Redis & RateLimitCommands;

const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Counters in Redis, shared by every instance, under `<REDIS_KEY_PREFIX>rl:`. Commands fail fast
 * instead of queueing while Redis is unreachable; each failed call is then counted in this
 * instance's memory, so limits keep holding per instance and requests never hang on Redis.
 */
export class RedisRateLimitStorage extends RateLimitStorage implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RateLimitRedis;
  private readonly fallback = new MemoryRateLimitStorage();
  private lastWarning = 0;

  constructor(url: string, keyPrefix: string) {
    super();
    const redis = new Redis(url, {
      keyPrefix: `${keyPrefix}rl:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      lazyConnect: true,
    });
    redis.defineCommand('rlHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('rlReserve', { numberOfKeys: 1, lua: RESERVE });
    // The number of keys is the call's first argument; ioredis still prefixes each key.
    redis.defineCommand('rlReserveAll', { lua: RESERVE_ALL });
    redis.defineCommand('rlPeek', { numberOfKeys: 1, lua: PEEK });
    redis.defineCommand('rlRelease', { numberOfKeys: 1, lua: RELEASE });
    // ioredis reports connection problems as events; the calls below fall back on their own.
    redis.on('error', (error: Error) => {
      this.warn('Redis is unreachable; counting rate limits in memory', error);
    });
    this.redis = redis as RateLimitRedis;
  }

  /** Connects, so the first requests already count in Redis; a failure is not fatal. */
  async connect(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      this.warn('Redis is unreachable at start-up; counting rate limits in memory', error);
    }
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    try {
      const [count, ttl] = await this.redis.rlHit(key, Math.ceil(windowMs));
      return { count, msToReset: ttl };
    } catch (error) {
      this.warn('Redis rate limit call failed; counting in memory', error);
      return this.fallback.hit(key, windowMs);
    }
  }

  async reserve(key: string, windowMs: number, limit: number): Promise<Reservation> {
    try {
      const [allowed, count, ttl] = await this.redis.rlReserve(key, Math.ceil(windowMs), limit);
      return { allowed: allowed === 1, count, msToReset: ttl };
    } catch (error) {
      this.warn('Redis rate limit call failed; counting in memory', error);
      return this.fallback.reserve(key, windowMs, limit);
    }
  }

  async reserveAll(rules: readonly LimitRule[]): Promise<Reservations> {
    if (rules.length === 0) return { allowed: true };
    try {
      const [allowed, refused, msToReset] = await this.redis.rlReserveAll(
        rules.length,
        ...rules.map((rule) => rule.key),
        ...rules.flatMap((rule) => [Math.ceil(rule.windowMs), rule.limit]),
      );
      return allowed === 1
        ? { allowed: true }
        : { allowed: false, refused: refused - 1, msToReset };
    } catch (error) {
      this.warn('Redis rate limit call failed; counting in memory', error);
      return this.fallback.reserveAll(rules);
    }
  }

  async peek(key: string): Promise<WindowCount> {
    try {
      const [count, ttl] = await this.redis.rlPeek(key);
      return { count, msToReset: ttl };
    } catch (error) {
      this.warn('Redis rate limit call failed; counting in memory', error);
      return this.fallback.peek(key);
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.redis.rlRelease(key);
    } catch (error) {
      this.warn('Redis rate limit call failed; counting in memory', error);
      await this.fallback.release(key);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.fallback.onModuleDestroy();
    if (this.redis.status === 'ready') {
      await this.redis.quit();
    } else {
      this.redis.disconnect();
    }
  }

  /** At most one warning per 10 s, so an outage does not flood the log. */
  private warn(message: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, message);
  }
}
