import { randomUUID } from 'node:crypto';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { DomainEvent } from './domain-event.js';
import { type BusHealth, EventBus, type EventHandler } from './event-bus.js';
import { EventLogRelay, type EventLogTail } from './event-log-relay.js';
import { LocalSubscribers } from './in-process-event-bus.js';

interface Envelope {
  /** The instance that published it: it has delivered it to its own subscribers already. */
  origin: string;
  event: DomainEvent;
}

const CONNECT_TIMEOUT_MS = 3_000;
/** A Redis that stops answering fails a publish or a probe after this, instead of never. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * The bus across instances: Redis pub/sub on one channel, `<REDIS_KEY_PREFIX>events`. Logged
 * events (with an id) reach this instance's subscribers in id order, from the event log, through
 * an {@link EventLogRelay}: a publish here (after its commit) and a message from another instance
 * only make it read the log past the last id it delivered. So an event committed elsewhere whose
 * message comes late, or never, cannot be overtaken by a later one: the read that finds the later
 * one finds it too. A publish here resolves once this instance's subscribers have it, whether
 * Redis is up or not (so a revocation made here applies here). After (re)connecting, the bus reads
 * the log again, and the relay also reads it every second, whatever the state of Redis: a dropped
 * message loses nothing. Events that are not logged (`user.changed`) go directly, and can be lost;
 * listeners of {@link onConnectivityChange} drop what they cache instead.
 */
export class RedisEventBus extends EventBus implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventBus');
  private readonly local = new LocalSubscribers();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly connectivityListeners = new Set<(connected: boolean) => void>();
  private readonly relay: EventLogRelay;
  private connected = false;
  private catchingUp: Promise<void> | undefined;
  private closing = false;
  private lastWarning = 0;

  constructor(url: string, keyPrefix: string, tail: EventLogTail) {
    super();
    this.relay = new EventLogRelay(tail, (event) => {
      this.local.deliver(event);
    });
    this.channel = `${keyPrefix}events`;
    this.publisher = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
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

  /**
   * Connects both clients once the migrations have created the event log; a failure is not
   * fatal (the bus reconnects on its own).
   */
  async onApplicationBootstrap(): Promise<void> {
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
    await Promise.all([this.deliverHere(event), this.publishToOthers(event)]);
  }

  private async publishToOthers(event: DomainEvent): Promise<void> {
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
    return this.local.add(handler);
  }

  override health(): BusHealth {
    return this.connected && this.publisher.status === 'ready' ? 'up' : 'down';
  }

  /** Whether Redis answers now: a ping within the command timeout, on top of {@link health}. */
  override async probe(): Promise<BusHealth> {
    if (this.health() === 'down') return 'down';
    try {
      await this.publisher.ping();
      return 'up';
    } catch {
      return 'down';
    }
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
    void this.deliverHere(envelope.event);
  }

  /**
   * A logged event: reads the log past it (unless delivered already), which delivers it and
   * everything before it in order. Any other event: delivered at once.
   */
  private async deliverHere(event: DomainEvent): Promise<void> {
    if (event.id === undefined) this.local.deliver(event);
    else if (/^\d{1,18}$/.test(event.id)) await this.relay.readPast(event.id);
  }

  /** Subscribes (again), then delivers what the log holds past the last id delivered. */
  private async catchUp(): Promise<void> {
    try {
      // Confirmed by Redis before the log is read: nothing published after it is missed.
      await this.subscriber.subscribe(this.channel);
      if (!(await this.relay.read())) throw new Error('The event log could not be read');
      this.connected = true;
      for (const listener of this.connectivityListeners) listener(true);
    } catch (error) {
      this.warn('Could not catch up from the event log; retrying on the next reconnect', error);
      if (this.subscriber.status === 'ready') this.subscriber.disconnect(true);
    }
  }

  private lostContact(): void {
    if (this.closing || !this.connected) return;
    this.connected = false;
    this.logger.warn('Lost contact with Redis; catching up from the event log when it returns');
    for (const listener of this.connectivityListeners) listener(false);
  }

  /** At most one warning per 10 s, so an outage does not flood the log. */
  private warn(message: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, message);
  }
}
