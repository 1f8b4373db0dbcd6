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

/** Redis's own clock in ms, so every instance counts on one clock. */
const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/**
 * KEYS: per rule, its failures then its attempts in flight (sorted sets: a failure's score is
 * when it happened, an attempt's until when it counts); ARGV: the attempt's id, how long it counts
 * as in flight (ms), then per rule its window (ms) and limit. Answers {1} reserved,
 * {0, rule, ms to reset} refused, {2, rule} busy (rules from 1); see
 * RateLimitStorage.reserveAttempt.
 */
const RESERVE_ATTEMPT = `${NOW}
local attempt, inFlightMs = ARGV[1], tonumber(ARGV[2])
local refused, longest, busy = 0, -1, 0
for i = 1, #KEYS / 2 do
  local failures, inFlight = KEYS[2 * i - 1], KEYS[2 * i]
  local window, limit = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', failures, '-inf', now - window)
  local failed = redis.call('ZCARD', failures)
  if failed >= limit then
    local nth = redis.call('ZRANGE', failures, failed - limit, failed - limit, 'WITHSCORES')
    local wait = tonumber(nth[2]) + window - now
    if wait > longest then refused, longest = i, wait end
  elseif busy == 0 then
    redis.call('ZREMRANGEBYSCORE', inFlight, '-inf', now)
    if failed + redis.call('ZCARD', inFlight) >= limit then busy = i end
  end
end
if refused > 0 then return {0, refused, longest} end
if busy > 0 then return {2, busy, 0} end
for i = 1, #KEYS / 2 do
  redis.call('ZADD', KEYS[2 * i], now + inFlightMs, attempt)
  redis.call('PEXPIRE', KEYS[2 * i], inFlightMs)
end
return {1, 0, 0}`;

/** KEYS: as RESERVE_ATTEMPT; ARGV: the attempt's id, 1 when it failed, then each rule's window (ms). */
const SETTLE_ATTEMPT = `${NOW}
local attempt, failed = ARGV[1], ARGV[2] == '1'
for i = 1, #KEYS / 2 do
  redis.call('ZREM', KEYS[2 * i], attempt)
  if failed then
    redis.call('ZADD', KEYS[2 * i - 1], now, attempt)
    redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[2 + i])
  end
end
return 0`;

/** KEYS: a rule's failures; ARGV: its window (ms). */
const FAILURES_WITHIN = `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. (now - tonumber(ARGV[1])), '+inf')`;

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
  rlFailuresWithin(key: string, windowMs: number): Promise<number>;
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
  private readonly fallback: MemoryRateLimitStorage;
  private lastWarning = 0;
  private closed: Promise<void> | undefined;
  /** Until when calls go to memory without trying Redis (ms since epoch). */
  private inMemoryUntil = 0;

  constructor(
    url: string,
    keyPrefix: string,
    /** How long an attempt counts as in flight at most (tests shorten it). */
    private readonly attemptInFlightMs: number = ATTEMPT_IN_FLIGHT_MS,
  ) {
    super();
    this.fallback = new MemoryRateLimitStorage(Date.now, attemptInFlightMs);
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
    redis.defineCommand('rlFailuresWithin', { numberOfKeys: 1, lua: FAILURES_WITHIN });
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

  reserveAttempt(rules: readonly LimitRule[], attempt: string): Promise<AttemptReservation> {
    if (rules.length === 0) return Promise.resolve({ state: 'reserved' });
    return this.call(
      async (): Promise<AttemptReservation> => {
        const [state, rule, msToReset] = await this.redis.rlReserveAttempt(
          rules.length * 2,
          ...attemptKeys(rules),
          attempt,
          this.attemptInFlightMs,
          ...rules.flatMap((entry) => [Math.ceil(entry.windowMs), entry.limit]),
        );
        if (state === 1) return { state: 'reserved' };
        if (state === 2) return { state: 'busy', busy: rule - 1 };
        return { state: 'refused', refused: rule - 1, msToReset };
      },
      () => this.fallback.reserveAttempt(rules, attempt),
    );
  }

  settleAttempt(rules: readonly LimitRule[], attempt: string, failed: boolean): Promise<void> {
    if (rules.length === 0) return Promise.resolve();
    return this.call(
      async () => {
        await this.redis.rlSettleAttempt(
          rules.length * 2,
          ...attemptKeys(rules),
          attempt,
          failed ? 1 : 0,
          ...rules.map((rule) => Math.ceil(rule.windowMs)),
        );
      },
      () => this.fallback.settleAttempt(rules, attempt, failed),
    );
  }

  failuresWithin(key: string, windowMs: number): Promise<number> {
    return this.call(
      () => this.redis.rlFailuresWithin(`${key}:failures`, Math.ceil(windowMs)),
      () => this.fallback.failuresWithin(key, windowMs),
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

  /**
   * Closes the client once: Nest calls this twice, since the throttler registers this same object
   * as its own storage provider (a second QUIT sent before the first closed the connection was
   * rejected with "Connection is closed.", logged as an error at every shutdown).
   */
  onModuleDestroy(): Promise<void> {
    this.closed ??= this.close();
    return this.closed;
  }

  private async close(): Promise<void> {
    this.fallback.onModuleDestroy();
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => {
      this.redis.disconnect();
    });
  }

  /** At most one warning per 10 s, so an outage does not flood the log. */
  private warn(message: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, message);
  }
}

/** Each rule's failures and attempts in flight, in the order the attempt scripts take them. */
function attemptKeys(rules: readonly LimitRule[]): string[] {
  return rules.flatMap((rule) => [`${rule.key}:failures`, `${rule.key}:in-flight`]);
}
