import { describe, expect, it } from '@jest/globals';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { BoundedQueue, PasswordHasher } from './password-hasher.js';

/** A task that finishes when the test says so. */
function gate<T>(value: T): { task: () => Promise<T>; open: () => void; started: boolean } {
  let release: () => void = () => undefined;
  const handle = {
    started: false,
    open: () => {
      release();
    },
    task: () => {
      handle.started = true;
      return new Promise<T>((resolve) => {
        release = () => {
          resolve(value);
        };
      });
    },
  };
  return handle;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BoundedQueue', () => {
  it('runs at most `concurrency` tasks at once, the rest in arrival order', async () => {
    const queue = new BoundedQueue(2, 10);
    const gates = [gate('a'), gate('b'), gate('c'), gate('d')];
    const results = gates.map((g) => queue.run(g.task));
    await flush();
    expect(gates.map((g) => g.started)).toEqual([true, true, false, false]);
    expect([queue.active, queue.queued]).toEqual([2, 2]);

    gates[1]?.open();
    await flush();
    expect(gates.map((g) => g.started)).toEqual([true, true, true, false]);
    expect([queue.active, queue.queued]).toEqual([2, 1]);

    gates[0]?.open();
    gates[2]?.open();
    await flush();
    gates[3]?.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([queue.active, queue.queued]).toEqual([0, 0]);
  });

  it('refuses past `maxWaiting` with 503 SERVICE_UNAVAILABLE and Retry-After, and takes more once there is room', async () => {
    let now = 0;
    const queue = new BoundedQueue(1, 1, () => now);
    const first = gate(1);
    const second = gate(2);
    const running = queue.run(first.task);
    const waiting = queue.run(second.task);
    await flush();
    expect(queue.full).toBe(true);

    const refused = await queue.run(() => Promise.resolve(3)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).headers?.['Retry-After']).toBe('1');
    expect(() => {
      queue.assertRoom();
    }).toThrow(AppError);

    now = 4_000; // the first task took 4 s: two tasks' backlog is about 8 s
    first.open();
    await running;
    expect(queue.full).toBe(false);
    const third = gate(3);
    const queued = queue.run(third.task);
    expect(queue.retryAfterSeconds()).toBe(8);
    second.open();
    await waiting;
    await flush();
    third.open();
    expect(await queued).toBe(3);
  });

  it('frees the slot of a task that fails', async () => {
    const queue = new BoundedQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(queue.active).toBe(0);
    expect(await queue.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('rejects nonsensical sizes', () => {
    expect(() => new BoundedQueue(0, 1)).toThrow(RangeError);
    expect(() => new BoundedQueue(1, -1)).toThrow(RangeError);
  });
});

describe('PasswordHasher', () => {
  it('verifies argon2 hashes through the queue, and a malformed hash is no match', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await hasher.verify(stored, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(stored, 'wrong')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'whatever')).toBe(false);
  });
});
