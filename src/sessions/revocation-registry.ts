import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { EventBus } from '../events/event-bus.js';
import { SessionEntity } from './entities/session.entity.js';

/**
 * The sessions revoked within the last access-token lifetime, per instance: the guard asks it on
 * every request instead of the database. Loaded at start-up, kept current through the event bus
 * (`session.revoked`), and entries are forgotten once every access token of theirs has expired.
 */
@Injectable()
export class RevocationRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RevocationRegistry');
  /** Session id → when the entry may be forgotten (ms since epoch). */
  private readonly revoked = new Map<string, number>();
  private readonly keepMs: number;
  private unsubscribe: (() => void) | undefined;
  private readonly unwatch: () => void;
  private nextPruneAt = 0;
  private connected = true;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly bus: EventBus,
  ) {
    // A little slack for clock skew between instances.
    this.keepMs = (config.accessTokenTtlSeconds + 60) * 1000;
    // Subscribed before loading, so a revocation published during the load is not missed.
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.type === 'session.revoked') this.add(event.sessionId);
    });
    this.unwatch = this.bus.onConnectivityChange((connected) => {
      if (!connected) {
        this.markDisconnected();
        return;
      }
      this.markReconnected().catch((error: unknown) => {
        // Stays on the database check until the next reconnect succeeds.
        this.logger.error({ err: error }, 'Could not reload revoked sessions');
      });
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
  }

  /**
   * For a bus transport that lost contact with the other instances: until
   * {@link markReconnected}, revocations published elsewhere may be missed, so the guard asks
   * the database instead (fail closed, never open).
   */
  markDisconnected(): void {
    this.connected = false;
  }

  /** Catches up from the database, then trusts the in-memory set again. */
  async markReconnected(): Promise<void> {
    await this.load();
    this.connected = true;
  }

  /** Whether the in-memory set is complete (the bus is connected). */
  get trustworthy(): boolean {
    return this.connected;
  }

  /** The slow, always-right answer: the session's row, by primary key. */
  async isRevokedInDatabase(sessionId: string): Promise<boolean> {
    const row = await this.sessions.findOne({
      select: { id: true, revokedAt: true },
      where: { id: sessionId },
    });
    if (!row) return true;
    return row.revokedAt !== null;
  }

  private async load(): Promise<void> {
    const since = new Date(Date.now() - this.keepMs);
    const rows = await this.sessions.find({
      select: { id: true, revokedAt: true },
      where: { revokedAt: MoreThan(since) },
    });
    for (const row of rows) {
      this.revoked.set(row.id, (row.revokedAt?.getTime() ?? Date.now()) + this.keepMs);
    }
    this.logger.log(`Loaded ${rows.length} recently revoked sessions`);
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unwatch();
  }

  /** Whether access tokens of this session must be refused. */
  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    return until !== undefined && until > Date.now();
  }

  add(sessionId: string): void {
    const now = Date.now();
    this.revoked.set(sessionId, now + this.keepMs);
    if (now >= this.nextPruneAt) this.prune(now);
  }

  get size(): number {
    return this.revoked.size;
  }

  private prune(now: number): void {
    this.nextPruneAt = now + 60_000;
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
  }
}
