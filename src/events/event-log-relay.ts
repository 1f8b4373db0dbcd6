import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { selectRows } from '../database/sql-rows.js';
import type { LoggableEvent, LoggedEvent } from './domain-event.js';

/** How often each instance looks for logged events that pub/sub did not bring. */
const RELAY_INTERVAL_MS = 1_000;
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
      // One primary-key range scan; when nothing is new it reads a single index page. Ordered by
      // the column, not by the text `id` of the select list (a bare `ORDER BY id` would be that,
      // and put 10 before 9).
      const rows = await selectRows<{ id: string; payload: LoggableEvent }>(
        manager,
        'SELECT id::text AS id, payload FROM event_log WHERE id > $1 ORDER BY event_log.id LIMIT $2',
        [afterId, limit],
      );
      return rows.map((row) => ({ ...row.payload, id: row.id }));
    },
  };
}

/**
 * Delivers logged events to this instance's subscribers in id order, from the event log, and
 * each one once. Anything that says something new may exist (a publish here after its commit, a
 * message from another instance, a reconnect, the tick every second) calls {@link read}, which
 * reads the log past the highest id delivered (`WHERE id > $last ORDER BY id`) and delivers every
 * entry in order. Ids follow commit order (see `EventLog`): once an id is visible, every smaller
 * one has committed or rolled back, so a read that returns an id has returned everything below it,
 * and a client that resumes from any id it received misses nothing. At most one read is in flight;
 * a call made meanwhile is served by exactly one more read after it (batched for all such calls).
 * The tick catches what no message announced: an instance that crashed between its commit and its
 * publish, a message lost on the way. A failed read (the database is down) is retried on the next
 * call or tick; nothing is delivered around the log, as that could break the order.
 */
export class EventLogRelay {
  private readonly logger = new Logger('EventLogRelay');
  private lastId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastWarning = 0;
  private reading: Promise<boolean> | undefined;
  private readAgain: Promise<boolean> | undefined;

  constructor(
    private readonly tail: EventLogTail,
    private readonly deliver: (event: LoggedEvent) => void,
    private readonly intervalMs = RELAY_INTERVAL_MS,
  ) {}

  /**
   * Starts from the current end of the log (earlier entries are what replays are for), or, when
   * the log cannot be read yet, from its end at the first read that succeeds.
   */
  async start(): Promise<void> {
    await this.read();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Reads the log with a read that starts after this call, and delivers what it finds; resolves
   * with whether that read succeeded (it never rejects).
   */
  read(): Promise<boolean> {
    if (this.reading === undefined) {
      this.reading = this.readAll().finally(() => {
        this.reading = undefined;
      });
      return this.reading;
    }
    // The read in flight may have started before what the caller wants to see was committed.
    this.readAgain ??= this.reading.then(() => {
      this.readAgain = undefined;
      return this.read();
    });
    return this.readAgain;
  }

  /** {@link read}, unless the entry `id` has been delivered already. */
  readPast(id: string): Promise<boolean> {
    if (this.lastId !== undefined && BigInt(id) <= BigInt(this.lastId)) {
      return Promise.resolve(true);
    }
    return this.read();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.read().finally(() => {
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async readAll(): Promise<boolean> {
    try {
      this.lastId ??= await this.tail.latestId();
      for (;;) {
        const events = await this.tail.after(this.lastId, RELAY_BATCH);
        for (const event of events) {
          if (this.stopped) return true;
          this.lastId = event.id;
          this.deliver(event);
        }
        if (events.length < RELAY_BATCH) return true;
      }
    } catch (error) {
      this.warn(error);
      return false;
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
