import { randomUUID } from 'node:crypto';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { DomainEvent, LoggedEvent } from './domain-event.js';
import { type BusHealth, EventBus, type EventHandler } from './event-bus.js';
import { EventLogRelay, type EventLogTail } from './event-log-relay.js';
import { InProcessEventBus } from './in-process-event-bus.js';

/** Reads the event log from a point in time (catch-up after an outage). */
export type EventLogReader = (since: Date) => Promise<LoggedEvent[]>;

interface Envelope {
  /** The instance that published it: it has delivered it to its own subscribers already. */
  origin: string;
  event: DomainEvent;
}

const CONNECT_TIMEOUT_MS = 3_000;
/**
 * How far before the outage began catch-up reads: an event's `created_at` is taken at insert,
 * and its transaction may commit (and publish) a while later, or the publish may have been
 * lost in flight just before the connection dropped.
 */
const CATCH_UP_MARGIN_MS = 60_000;
/** Ids of delivered events are remembered this long, so catch-up does not deliver them twice. */
const SEEN_TTL_MS = 15 * 60_000;
const SEEN_MAX = 100_000;

/**
 * The bus across instances: Redis pub/sub on one channel, `<REDIS_KEY_PREFIX>events`. Every
 * event is delivered to this instance's subscribers at once, whether Redis is up or not (so a
 * revocation made here always applies here), then published for the others. Pub/sub forgets
 * what it could not deliver, so after (re)connecting the bus reads the event log from shortly
 * before the outage and delivers every logged event it has not seen: a dropped message loses
 * nothing. Besides, an {@link EventLogRelay} reads new log entries every second, whatever the
 * state of Redis, for events that were committed but never published (their instance crashed in
 * between). Every logged event is delivered here once, by id, whichever way comes first.
 * Events that are not logged (`user.changed`) can be lost; listeners of
 * {@link onConnectivityChange} drop what they cache instead.
 */
export class RedisEventBus extends EventBus implements OnModuleDestroy {
  private readonly logger = new Logger('EventBus');
  private readonly local = new InProcessEventBus();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly seen = new Map<string, number>();
  private readonly connectivityListeners = new Set<(connected: boolean) => void>();
  private readonly relay: EventLogRelay;
  private connected = false;
  /** Since when events may have been missed; start-up counts as an outage that began then. */
  private lostAt = new Date();
  private catchingUp: Promise<void> | undefined;
  private closing = false;
  private lastWarning = 0;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly readLog: EventLogReader,
    tail: EventLogTail,
  ) {
    super();
    this.relay = new EventLogRelay(tail, (event) => {
      this.deliverOnce(event);
    });
    this.channel = `${keyPrefix}events`;
    this.publisher = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      lazyConnect: true,
    });
    this.subscriber = new Redis(url, {
      connectTimeout: CONNECT_TIMEOUT_MS,
      lazyConnect: true,
      // Never give up: the subscription is how this instance hears the others.
      maxRetriesPerRequest: null,
    });
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => {
        this.warn('Redis is unreachable; live events reach this instance only', error);
      });
    }
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    this.subscriber.on('ready', () => {
      this.catchingUp ??= this.catchUp().finally(() => {
        this.catchingUp = undefined;
      });
    });
    this.subscriber.on('close', () => {
      this.lostContact();
    });
  }

  /** Connects both clients; a failure is not fatal (the bus reconnects on its own). */
  async connect(): Promise<void> {
    await this.relay.start();
    const results = await Promise.allSettled([this.publisher.connect(), this.subscriber.connect()]);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed)
      this.warn(
        'Redis is unreachable at start-up; live events reach this instance only',
        failed.reason,
      );
    await this.catchingUp;
  }

  async publish(event: DomainEvent): Promise<void> {
    // The relay may have delivered it already, having read it from the log after its commit.
    this.deliverOnce(event);
    if (this.publisher.status !== 'ready') return;
    try {
      const envelope: Envelope = { origin: this.instanceId, event };
      await this.publisher.publish(this.channel, JSON.stringify(envelope));
    } catch (error) {
      // Logged events reach the others through their catch-up once Redis is back.
      this.warn('Could not publish an event to Redis', error);
    }
  }

  subscribe(handler: EventHandler): () => void {
    return this.local.subscribe(handler);
  }

  override health(): BusHealth {
    return this.connected && this.publisher.status === 'ready' ? 'up' : 'down';
  }

  /** Told the current state at once when it is down, then every change. */
  override onConnectivityChange(listener: (connected: boolean) => void): () => void {
    this.connectivityListeners.add(listener);
    if (!this.connected) listener(false);
    return () => this.connectivityListeners.delete(listener);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.relay.stop();
    await Promise.all(
      [this.publisher, this.subscriber].map(async (client) => {
        if (client.status === 'ready')
          await client.quit().catch(() => {
            client.disconnect();
          });
        else client.disconnect();
      }),
    );
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === this.instanceId) return;
    this.deliverOnce(envelope.event);
  }

  /** Delivers to this instance's subscribers, unless an event with this id was delivered. */
  private deliverOnce(event: DomainEvent): boolean {
    if (event.id !== undefined) {
      if (this.seen.has(event.id)) return false;
      this.remember(event.id);
    }
    // Synchronous: the in-process bus calls every handler before it returns.
    void this.local.publish(event);
    return true;
  }

  /** Subscribes (again), then delivers what the log holds that this instance has not seen. */
  private async catchUp(): Promise<void> {
    const since = new Date(this.lostAt.getTime() - CATCH_UP_MARGIN_MS);
    try {
      // Confirmed by Redis before the log is read: nothing published after it is missed.
      await this.subscriber.subscribe(this.channel);
      const missed = await this.readLog(since);
      let delivered = 0;
      for (const event of missed) if (this.deliverOnce(event)) delivered += 1;
      this.connected = true;
      if (delivered > 0) this.logger.log(`Caught up ${delivered} events from the event log`);
      for (const listener of this.connectivityListeners) listener(true);
    } catch (error) {
      this.warn('Could not catch up from the event log; retrying on the next reconnect', error);
      if (this.subscriber.status === 'ready') this.subscriber.disconnect(true);
    }
  }

  private lostContact(): void {
    if (this.closing || !this.connected) return;
    this.connected = false;
    this.lostAt = new Date();
    this.logger.warn('Lost contact with Redis; catching up from the event log when it returns');
    for (const listener of this.connectivityListeners) listener(false);
  }

  private remember(id: string): void {
    const now = Date.now();
    this.seen.set(id, now);
    if (
      this.seen.size <= SEEN_MAX &&
      (this.seen.values().next().value ?? now) > now - SEEN_TTL_MS
    ) {
      return;
    }
    // Map keeps insertion order: the oldest entries come first.
    for (const [seenId, at] of this.seen) {
      if (this.seen.size <= SEEN_MAX && at > now - SEEN_TTL_MS) break;
      this.seen.delete(seenId);
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
