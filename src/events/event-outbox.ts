import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvent, DomainEventBody, LoggableEvent, LoggedEvent } from './domain-event.js';
import { EventBus } from './event-bus.js';
import { EventLog } from './event-log.js';

/** One unit of work: its transaction's manager, and where its events go. */
export interface EventTransaction {
  /** The transaction's manager: every query of the unit of work goes through it. */
  readonly manager: EntityManager;
  /**
   * Queues an event of this unit of work. Events for live streams are written to the event log
   * at the end of the transaction, so they commit (or roll back) with the change; every event is
   * published once the transaction has committed, in the order emitted.
   */
  emit(event: DomainEventBody): void;
}

/** A unit of work that committed on a connection its caller holds; its events wait to go out. */
export interface CommittedUnpublished<T> {
  readonly result: T;
  /** Publish with {@link EventOutbox.publish} once the connection is free. */
  readonly events: readonly DomainEvent[];
}

/**
 * The one way modules emit events (transactional outbox): a change and its events commit in one
 * transaction, and the events are published only after it has committed. A crash in between
 * loses nothing: the bus delivers logged events by reading the log, on every instance.
 *
 * ```ts
 * await outbox.transaction(async (tx) => {
 *   await tx.manager.update(MenuItemEntity, { id }, { available });
 *   tx.emit({ type: 'menu.updated' });
 * });
 * ```
 */
@Injectable()
export class EventOutbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLog,
    private readonly bus: EventBus,
  ) {}

  /** Runs `work` in a new transaction, then publishes the events it emitted. */
  async transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    const { result, events } = await this.run(this.dataSource.manager, work);
    await this.publish(events);
    return result;
  }

  /**
   * Runs `work` in a transaction on `connection`, a connection the caller holds (under a
   * session-level advisory lock, say), and leaves the events unpublished: delivering them means
   * reading the log, which on the embedded database needs that very connection.
   */
  transactionOn<T>(
    connection: EntityManager,
    work: (tx: EventTransaction) => Promise<T>,
  ): Promise<CommittedUnpublished<T>> {
    return this.run(connection, work);
  }

  /**
   * Publishes events that have committed: those of {@link transactionOn}, or those a statement
   * logged itself (see `appendEventsSql`), in order. Resolves once this instance has them.
   */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) await this.bus.publish(event);
  }

  private async run<T>(
    on: EntityManager,
    work: (tx: EventTransaction) => Promise<T>,
  ): Promise<CommittedUnpublished<T>> {
    return on.transaction(async (manager) => {
      const queued: DomainEventBody[] = [];
      let open = true;
      const result = await work({
        manager,
        emit: (event) => {
          if (!open) throw new Error('An event was emitted after its unit of work ended');
          queued.push(event);
        },
      });
      open = false;
      // Last in the transaction: the log's commit-order lock is held from here until commit.
      const loggable = queued.filter(isLoggable);
      const logged = loggable.length > 0 ? await this.log.appendAll(loggable, manager) : [];
      let next = 0;
      const events = queued.map((event): DomainEvent => {
        if (!isLoggable(event)) return event;
        const written: LoggedEvent | undefined = logged[next++];
        if (!written) throw new Error('The event log returned fewer events than it was given');
        return written;
      });
      return { result, events };
    });
  }
}

function isLoggable(event: DomainEventBody): event is LoggableEvent {
  return event.type !== 'user.changed';
}
