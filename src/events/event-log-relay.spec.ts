import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { LoggedEvent } from './domain-event.js';
import { EventLogRelay, type EventLogTail } from './event-log-relay.js';

/** An event log in memory, with ids in order, that can be made to fail like a lost database. */
class LogInMemory implements EventLogTail {
  readonly events: LoggedEvent[] = [];
  down = false;
  reads = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** While set, reads wait for it: a slow query. */
  gate: Promise<void> | undefined;

  append(count: number): void {
    for (let i = 0; i < count; i += 1)
      this.events.push({ type: 'menu.updated', id: String(this.events.length + 1) });
  }

  latestId(): Promise<string> {
    if (this.down) return Promise.reject(new Error('database down'));
    return Promise.resolve(String(this.events.length));
  }

  async after(afterId: string, limit: number): Promise<LoggedEvent[]> {
    this.reads += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // What the query sees is fixed when it starts, as a statement's snapshot is.
      const seen = this.events.slice(Number(afterId), Number(afterId) + limit);
      await this.gate;
      if (this.down) throw new Error('database down');
      return seen;
    } finally {
      this.inFlight -= 1;
    }
  }
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('EventLogRelay', () => {
  // Failed reads warn, as they should; not in the test's output.
  Logger.overrideLogger(false);

  it('delivers what is appended after it starts, in id order, each entry once', async () => {
    const log = new LogInMemory();
    log.append(3);
    const delivered: string[] = [];
    const relay = new EventLogRelay(log, (event) => delivered.push(event.id), 10);
    await relay.start();
    log.append(2);
    await until(() => delivered.length === 2);
    log.append(1);
    await until(() => delivered.length === 3);
    const readsSoFar = log.reads;
    await until(() => log.reads >= readsSoFar + 3);
    relay.stop();
    expect(delivered).toEqual(['4', '5', '6']);
  });

  it('reads a backlog longer than one batch, all of it, in order', async () => {
    const log = new LogInMemory();
    const delivered: string[] = [];
    const relay = new EventLogRelay(log, (event) => delivered.push(event.id), 10);
    await relay.start();
    log.append(1_234);
    await until(() => delivered.length === 1_234);
    relay.stop();
    expect(delivered).toEqual(Array.from({ length: 1_234 }, (_, i) => String(i + 1)));
  });

  it('keeps going through failed reads and loses nothing written meanwhile', async () => {
    const log = new LogInMemory();
    const delivered: string[] = [];
    const relay = new EventLogRelay(log, (event) => delivered.push(event.id), 10);
    await relay.start();
    log.down = true;
    log.append(2);
    const readsSoFar = log.reads;
    await until(() => log.reads >= readsSoFar + 3);
    expect(delivered).toEqual([]);
    log.down = false;
    await until(() => delivered.length === 2);
    relay.stop();
    expect(delivered).toEqual(['1', '2']);
  });

  it('reads nothing more once stopped', async () => {
    const log = new LogInMemory();
    const delivered: string[] = [];
    const relay = new EventLogRelay(log, (event) => delivered.push(event.id), 10);
    await relay.start();
    relay.stop();
    log.append(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered).toEqual([]);
  });

  it('read: delivers everything up to what it was asked for, in order, with one query at a time', async () => {
    const log = new LogInMemory();
    const delivered: string[] = [];
    const relay = new EventLogRelay(log, (event) => delivered.push(event.id), 60_000);
    await relay.start();
    log.append(1);
    let open: () => void = () => undefined;
    log.gate = new Promise((resolve) => (open = resolve));
    // A read starts and sees entry 1 only; entries 2 and 3 are committed while it is in flight.
    const first = relay.read();
    await until(() => log.inFlight === 1);
    log.append(2);
    const readsBefore = log.reads;
    const waiting = [relay.readPast('2'), relay.readPast('3'), relay.read()];
    log.gate = undefined;
    open();
    await expect(first).resolves.toBe(true);
    await expect(Promise.all(waiting)).resolves.toEqual([true, true, true]);
    relay.stop();
    expect(delivered).toEqual(['1', '2', '3']);
    // The three calls made during the first read were served by one more read, not three.
    expect(log.reads).toBe(readsBefore + 1);
    expect(log.maxInFlight).toBe(1);
  });

  it('readPast: does not read for an entry delivered already; a failed read resolves false', async () => {
    const log = new LogInMemory();
    const delivered: string[] = [];
    const relay = new EventLogRelay(log, (event) => delivered.push(event.id), 60_000);
    await relay.start();
    log.append(2);
    await expect(relay.readPast('2')).resolves.toBe(true);
    const reads = log.reads;
    await expect(relay.readPast('1')).resolves.toBe(true);
    expect(log.reads).toBe(reads);
    log.down = true;
    log.append(1);
    await expect(relay.readPast('3')).resolves.toBe(false);
    log.down = false;
    await expect(relay.readPast('3')).resolves.toBe(true);
    relay.stop();
    expect(delivered).toEqual(['1', '2', '3']);
  });
});
