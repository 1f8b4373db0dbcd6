import { randomUUID } from 'node:crypto';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type StreamLease, StreamLeases } from './stream-leases.js';

/**
 * A session's leases are one sorted set, `<REDIS_KEY_PREFIX>streams:<session id>`: a member per
 * open stream, scored by when it expires (Redis's clock, so instances' clocks do not matter).
 * Expired members are dropped before counting, so the streams of a crashed instance stop
 * counting once their leases run out.
 */
const ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Extends the leases held here (ARGV[2..]); adds them again if Redis lost them. */
const REFRESH = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

interface LeaseCommands {
  streamAcquire(key: string, member: string, limit: number, ttlMs: number): Promise<number>;
  streamRefresh(key: string, ttlMs: number, ...members: string[]): Promise<number>;
}

type LeaseRedis = Redis & LeaseCommands;

export interface RedisStreamLeaseTimings {
  /** How long a lease lasts unless its instance refreshes it. */
  readonly ttlMs: number;
  readonly refreshEveryMs: number;
}

const DEFAULT_TIMINGS: RedisStreamLeaseTimings = { ttlMs: 30_000, refreshEveryMs: 10_000 };
const CONNECT_TIMEOUT_MS = 3_000;
/** A Redis that stops answering fails a call after this; the cap then holds per instance. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * The per-session stream cap across every instance. Each instance refreshes the leases of its
 * open streams, and removes a lease when its stream closes (or, on shutdown, all of them).
 *
 * While Redis is unreachable, the cap is checked against the streams open on this instance
 * (so a session may then have up to the cap on each instance): refusing every stream during a
 * Redis outage would take live updates from everyone, for a cap that only guards resources.
 * The leases taken meanwhile are written to Redis by the next refresh once it is back.
 */
export class RedisStreamLeases extends StreamLeases implements OnModuleDestroy {
  private readonly logger = new Logger('StreamLeases');
  private readonly redis: LeaseRedis;
  private readonly instanceId = randomUUID();
  /** Members of the leases held by this instance's streams, per session id. */
  private readonly held = new Map<string, Set<string>>();
  private readonly refresher: NodeJS.Timeout;
  private nextLease = 0;
  private lastWarning = 0;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly timings: RedisStreamLeaseTimings = DEFAULT_TIMINGS,
  ) {
    super();
    const redis = new Redis(url, {
      keyPrefix: `${keyPrefix}streams:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      lazyConnect: true,
    });
    redis.defineCommand('streamAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('streamRefresh', { numberOfKeys: 1, lua: REFRESH });
    redis.on('error', (error: Error) => {
      this.warn('Redis is unreachable; counting event streams per instance', error);
    });
    // After an outage, at once: the leases taken meanwhile count for the other instances too.
    redis.on('ready', () => void this.refresh());
    this.redis = redis as LeaseRedis;
    this.refresher = setInterval(() => void this.refresh(), timings.refreshEveryMs);
    this.refresher.unref();
  }

  /** Connects; a failure is not fatal (the client reconnects, the cap holds per instance). */
  async connect(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      this.warn('Redis is unreachable at start-up; counting event streams per instance', error);
    }
  }

  /** Whether leases are counted in Redis right now (else on this instance only). */
  get shared(): boolean {
    return this.redis.status === 'ready';
  }

  async acquire(sessionId: string, limit: number): Promise<StreamLease | undefined> {
    const member = `${this.instanceId}:${String(this.nextLease++)}`;
    try {
      const granted = await this.redis.streamAcquire(sessionId, member, limit, this.timings.ttlMs);
      if (granted !== 1) return undefined;
    } catch (error) {
      this.warn('Redis stream lease call failed; counting event streams per instance', error);
      if ((this.held.get(sessionId)?.size ?? 0) >= limit) return undefined;
    }
    return this.hold(sessionId, member);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.refresher);
    const held = [...this.held];
    this.held.clear();
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    // Released here rather than by each closing stream, which may come after the client quit.
    await Promise.all(
      held.map(([sessionId, members]) => this.redis.zrem(sessionId, ...members)),
    ).catch((error: unknown) => {
      this.warn('Could not release the event stream leases; they expire on their own', error);
    });
    await this.redis.quit().catch(() => {
      this.redis.disconnect();
    });
  }

  private hold(sessionId: string, member: string): StreamLease {
    const members = this.held.get(sessionId) ?? new Set<string>();
    members.add(member);
    this.held.set(sessionId, members);
    return {
      release: () => {
        if (!members.delete(member)) return;
        if (members.size === 0 && this.held.get(sessionId) === members) this.held.delete(sessionId);
        if (this.redis.status !== 'ready') return;
        this.redis.zrem(sessionId, member).catch((error: unknown) => {
          this.warn('Could not release an event stream lease; it expires on its own', error);
        });
      },
    };
  }

  private async refresh(): Promise<void> {
    if (this.redis.status !== 'ready' || this.held.size === 0) return;
    // Sent together without waiting for each other (ioredis writes them to one connection).
    const refreshes = [...this.held].map(([sessionId, members]) =>
      this.redis.streamRefresh(sessionId, this.timings.ttlMs, ...members),
    );
    try {
      await Promise.all(refreshes);
    } catch (error) {
      this.warn('Could not refresh the event stream leases', error);
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
