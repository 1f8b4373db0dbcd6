import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { selectRows } from '../database/sql-rows.js';
import type { LoggableEvent, LoggedEvent } from './domain-event.js';

/** How often each instance looks for logged events that pub/sub did not bring. */
export const RELAY_INTERVAL_MS = 1_000;
/** Entries read per query; a longer backlog is read in several. */
const RELAY_BATCH = 500;

/** What the relay reads: the newest id, and the entries after an id in id order. */
export interface EventLogTail {
  latestId(): Promise<string>;
  after(afterId: string, limit: number): Promise<LoggedEvent[]>;
}

/** {@link EventLogTail} on a connection (the data source's manager). */
export function eventLogTail(manager: EntityManager): EventLogTail {
  return {
    async latestId() {
      const [row] = await selectRows<{ id: string | null }>(
        manager,
        'SELECT max(id)::text AS id FROM event_log',
      );
      return row?.id ?? '0';
    },
    async after(afterId, limit) {
      // One primary-key range scan; when nothing is new it reads a single index page.
      const rows = await selectRows<{ id: string; payload: LoggableEvent }>(
        manager,
        'SELECT id::text AS id, payload FROM event_log WHERE id > $1 ORDER BY id LIMIT $2',
        [afterId, limit],
      );
      return rows.map((row) => ({ ...row.payload, id: row.id }));
    },
  };
}

/**
 * Reads the event log every second from the highest id it has read, and hands every entry to
 * `deliver`, which skips those it has delivered already (pub/sub usually brings them first).
 * It catches what pub/sub never carried: an instance that crashed between its commit and its
 * publish, or a message lost on the way. Reading past the highest id is safe because ids follow
 * commit order (see `EventLog`): once an id is visible, every smaller one has committed or
 * rolled back. A failed read (the database is down) is retried on the next tick.
 */
export class EventLogRelay {
  private readonly logger = new Logger('EventLogRelay');
  private lastId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastWarning = 0;

  constructor(
    private readonly tail: EventLogTail,
    private readonly deliver: (event: LoggedEvent) => void,
    private readonly intervalMs = RELAY_INTERVAL_MS,
  ) {}

  /** Starts from the current end of the log: what came before is the start-up catch-up's. */
  async start(): Promise<void> {
    try {
      this.lastId = await this.tail.latestId();
    } catch (error) {
      this.warn(error);
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      this.lastId ??= await this.tail.latestId();
      for (;;) {
        const events = await this.tail.after(this.lastId, RELAY_BATCH);
        for (const event of events) {
          if (this.stopped) return;
          this.deliver(event);
          this.lastId = event.id;
        }
        if (events.length < RELAY_BATCH) break;
      }
    } catch (error) {
      this.warn(error);
    } finally {
      this.schedule();
    }
  }

  /** At most one warning per 10 s, so a database outage does not flood the log. */
  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, 'Could not read the event log; retrying');
  }
}
