import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { LoggedEvent } from './domain-event.js';
import { EventLogRelay, type EventLogTail } from './event-log-relay.js';

/** An event log in memory, with ids in order, that can be made to fail like a lost database. */
class LogInMemory implements EventLogTail {
  readonly events: LoggedEvent[] = [];
  down = false;
  reads = 0;

  append(count: number): void {
    for (let i = 0; i < count; i += 1)
      this.events.push({ type: 'menu.updated', id: String(this.events.length + 1) });
  }

  latestId(): Promise<string> {
    if (this.down) return Promise.reject(new Error('database down'));
    return Promise.resolve(String(this.events.length));
  }

  after(afterId: string, limit: number): Promise<LoggedEvent[]> {
    this.reads += 1;
    if (this.down) return Promise.reject(new Error('database down'));
    return Promise.resolve(this.events.slice(Number(afterId), Number(afterId) + limit));
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
});
