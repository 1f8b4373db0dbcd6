import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';

/**
 * Runs at most `concurrency` tasks at once, in arrival order, with at most `maxWaiting` more
 * waiting; past that, {@link run} refuses at once with `503 SERVICE_UNAVAILABLE` and a
 * `Retry-After` estimated from how long tasks have been taking.
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Moving average of a task's duration, in ms. */
  private averageMs = 0;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError('concurrency must be a positive integer');
    }
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) {
      throw new RangeError('maxWaiting must be a non-negative integer');
    }
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether a task given now would be refused. */
  get full(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxWaiting;
  }

  /** Throws what {@link run} would throw if given a task now. */
  assertRoom(): void {
    if (this.full) throw this.refusal();
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw this.refusal();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    // Here this task holds a slot: taken above, or handed over by the one that finished.
    const started = this.now();
    try {
      return await task();
    } finally {
      const took = this.now() - started;
      this.averageMs = this.averageMs === 0 ? took : this.averageMs * 0.9 + took * 0.1;
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Seconds until a task given now would likely start, at least 1. */
  retryAfterSeconds(): number {
    const backlog = (this.running + this.waiting.length) / this.concurrency;
    return Math.max(1, Math.ceil((backlog * this.averageMs) / 1000));
  }

  private refusal(): AppError {
    const retryAfter = this.retryAfterSeconds();
    return new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      `Too many password checks at once; try again in ${retryAfter} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }
}

/**
 * Hashes running at once: one core is left to the event loop, so a login storm cannot starve
 * every other request (argon2 runs on libuv's thread pool, whose 4 threads would otherwise all
 * hash on a 2-core machine).
 */
const HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);
/** Hashes waiting beyond that; more get `503` with `Retry-After` rather than an ever-longer wait. */
const HASH_QUEUE_LIMIT = 64 * HASH_CONCURRENCY;

/**
 * argon2id hashing (the package's default algorithm, with its OWASP-level costs) on libuv's
 * thread pool, off the event loop, through a {@link BoundedQueue}.
 */
@Injectable()
export class PasswordHasher {
  private readonly queue = new BoundedQueue(HASH_CONCURRENCY, HASH_QUEUE_LIMIT);

  /** Throws the `503` a hash or verification asked for now would get. */
  assertRoom(): void {
    this.queue.assertRoom();
  }

  hash(password: string): Promise<string> {
    return this.queue.run(() => hash(password));
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.queue.run(async () => {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A malformed stored hash must never crash a login: it is simply not a match.
        return false;
      }
    });
  }
}
