import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { MemoryRateLimitStorage } from './memory-rate-limit-storage.js';
import {
  ATTEMPT_IN_FLIGHT_MS,
  type AttemptReservation,
  type LimitRule,
  RateLimitStorage,
  type Reservation,
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

/**
 * KEYS: failure counters; ARGV: each one's window (ms) and limit, in pairs, then how long an
 * attempt counts as in flight (ms). Answers {1} reserved, {0, index, ms to reset} refused,
 * {2} busy; see RateLimitStorage.reserveAttempt. Each counter's attempts in flight are kept
 * under its key + ':in-flight' (the same key slot).
 */
const RESERVE_ATTEMPT = `
local refused, longest, busy = 0, -1, false
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local ttl = redis.call('PTTL', KEYS[i])
  local failed = 0
  if ttl > 0 then failed = tonumber(redis.call('GET', KEYS[i]) or '0') end
  if failed >= limit then
    if ttl > longest then refused, longest = i, ttl end
  elseif failed + tonumber(redis.call('GET', KEYS[i] .. ':in-flight') or '0') >= limit then
    busy = true
  end
end
if refused > 0 then return {0, refused, longest} end
if busy then return {2, 0, 0} end
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i] .. ':in-flight')
  redis.call('PEXPIRE', KEYS[i] .. ':in-flight', ARGV[#ARGV])
end
return {1, 0, 0}`;

/** KEYS: failure counters; ARGV: each one's window (ms), then 1 when the attempt failed. */
const SETTLE_ATTEMPT = `
local failed = ARGV[#ARGV] == '1'
for i = 1, #KEYS do
  local inFlight = KEYS[i] .. ':in-flight'
  if tonumber(redis.call('GET', inFlight) or '0') > 0 then redis.call('DECR', inFlight) end
  if failed then
    redis.call('INCR', KEYS[i])
    if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[i]) end
  end
end
return 0`;

const PEEK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {count, ttl}`;

interface RateLimitCommands {
  rlHit(key: string, windowMs: number): Promise<[number, number]>;
  rlReserve(key: string, windowMs: number, limit: number): Promise<[number, number, number]>;
  rlReserveAttempt(
    numberOfKeys: number,
    ...keysThenArgs: (string | number)[]
  ): Promise<[number, number, number]>;
  rlSettleAttempt(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  rlPeek(key: string): Promise<[number, number]>;
}

type RateLimitRedis = Redis & RateLimitCommands;

const CONNECT_TIMEOUT_MS = 3_000;
/** A Redis that stops answering (the connection open) fails a call after this, not never. */
const COMMAND_TIMEOUT_MS = 500;
/** After a failed call, counts stay in memory this long before Redis is tried again. */
const BACKOFF_MS = 5_000;

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
  /** Until when calls go to memory without trying Redis (ms since epoch). */
  private inMemoryUntil = 0;

  constructor(url: string, keyPrefix: string) {
    super();
    const redis = new Redis(url, {
      keyPrefix: `${keyPrefix}rl:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      lazyConnect: true,
    });
    redis.defineCommand('rlHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('rlReserve', { numberOfKeys: 1, lua: RESERVE });
    // The number of keys is the call's first argument; ioredis still prefixes each key.
    redis.defineCommand('rlReserveAttempt', { lua: RESERVE_ATTEMPT });
    redis.defineCommand('rlSettleAttempt', { lua: SETTLE_ATTEMPT });
    redis.defineCommand('rlPeek', { numberOfKeys: 1, lua: PEEK });
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

  hit(key: string, windowMs: number): Promise<WindowCount> {
    return this.call(
      async () => {
        const [count, ttl] = await this.redis.rlHit(key, Math.ceil(windowMs));
        return { count, msToReset: ttl };
      },
      () => this.fallback.hit(key, windowMs),
    );
  }

  reserve(key: string, windowMs: number, limit: number): Promise<Reservation> {
    return this.call(
      async () => {
        const [allowed, count, ttl] = await this.redis.rlReserve(key, Math.ceil(windowMs), limit);
        return { allowed: allowed === 1, count, msToReset: ttl };
      },
      () => this.fallback.reserve(key, windowMs, limit),
    );
  }

  reserveAttempt(rules: readonly LimitRule[]): Promise<AttemptReservation> {
    if (rules.length === 0) return Promise.resolve({ state: 'reserved' });
    return this.call(
      async (): Promise<AttemptReservation> => {
        const [state, refused, msToReset] = await this.redis.rlReserveAttempt(
          rules.length,
          ...rules.map((rule) => rule.key),
          ...rules.flatMap((rule) => [Math.ceil(rule.windowMs), rule.limit]),
          ATTEMPT_IN_FLIGHT_MS,
        );
        if (state === 1) return { state: 'reserved' };
        if (state === 2) return { state: 'busy' };
        return { state: 'refused', refused: refused - 1, msToReset };
      },
      () => this.fallback.reserveAttempt(rules),
    );
  }

  settleAttempt(rules: readonly LimitRule[], failed: boolean): Promise<void> {
    if (rules.length === 0) return Promise.resolve();
    return this.call(
      async () => {
        await this.redis.rlSettleAttempt(
          rules.length,
          ...rules.map((rule) => rule.key),
          ...rules.map((rule) => Math.ceil(rule.windowMs)),
          failed ? 1 : 0,
        );
      },
      () => this.fallback.settleAttempt(rules, failed),
    );
  }

  peek(key: string): Promise<WindowCount> {
    return this.call(
      async () => {
        const [count, ttl] = await this.redis.rlPeek(key);
        return { count, msToReset: ttl };
      },
      () => this.fallback.peek(key),
    );
  }

  /**
   * Runs the call in Redis, or, when it fails (unreachable, or no answer within the command
   * timeout), in this instance's memory; after a failure, in memory for a while, so a Redis that
   * has stopped answering costs one timeout now and then rather than one per request.
   */
  private async call<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (Date.now() < this.inMemoryUntil) return local();
    try {
      return await remote();
    } catch (error) {
      this.inMemoryUntil = Date.now() + BACKOFF_MS;
      this.warn('Redis rate limit call failed; counting in memory', error);
      return local();
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
