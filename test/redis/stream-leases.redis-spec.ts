import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisStreamLeases } from '../../src/events/redis-stream-leases.js';
import type { StreamLease } from '../../src/events/stream-leases.js';
import { eventually, uniquePrefix } from '../support/live-events.js';
import { ThrowawayRedis } from '../support/redis-server.js';

/** Short leases, so an abandoned one runs out within the test. */
const TIMINGS = { ttlMs: 2_000, refreshEveryMs: 250 };
const LIMIT = 5;

async function acquireMany(
  leases: RedisStreamLeases,
  sessionId: string,
  count: number,
): Promise<StreamLease[]> {
  const held: StreamLease[] = [];
  for (let i = 0; i < count; i += 1) {
    const lease = await leases.acquire(sessionId, LIMIT);
    if (!lease) throw new Error(`lease ${String(i + 1)} of ${String(count)} was refused`);
    held.push(lease);
  }
  return held;
}

// The Redis side of the per-session stream cap, as two instances (A and B) share it.
describe('event stream leases in Redis', () => {
  let redis: ThrowawayRedis;
  let prefix: string;
  let a: RedisStreamLeases;
  let b: RedisStreamLeases;

  beforeAll(async () => {
    // The outage below makes the leases warn, as they should; not in the test's output.
    Logger.overrideLogger(false);
    redis = await ThrowawayRedis.start();
  });

  afterAll(async () => {
    await redis.stop();
  });

  async function startInstances(): Promise<void> {
    prefix = uniquePrefix();
    a = new RedisStreamLeases(redis.url, prefix, TIMINGS);
    b = new RedisStreamLeases(redis.url, prefix, TIMINGS);
    await a.connect();
    await b.connect();
  }

  async function stopInstances(): Promise<void> {
    await a.onModuleDestroy();
    await b.onModuleDestroy();
  }

  it('caps a session across instances, frees a slot on release, and keeps sessions apart', async () => {
    await startInstances();
    try {
      const onA = await acquireMany(a, 'session-1', 3);
      await acquireMany(b, 'session-1', 2);
      expect(await a.acquire('session-1', LIMIT)).toBeUndefined();
      expect(await b.acquire('session-1', LIMIT)).toBeUndefined();
      expect(await b.acquire('session-2', LIMIT)).toBeDefined();
      // Held leases are refreshed: well past their TTL they still count.
      await new Promise((done) => setTimeout(done, TIMINGS.ttlMs * 2));
      expect(await b.acquire('session-1', LIMIT)).toBeUndefined();

      onA[0]?.release();
      onA[0]?.release();
      const freed = await eventually(
        () => b.acquire('session-1', LIMIT),
        (lease) => lease !== undefined,
        2_000,
      );
      expect(freed).toBeDefined();
      // Releasing twice freed one slot, not two.
      expect(await a.acquire('session-1', LIMIT)).toBeUndefined();
    } finally {
      await stopInstances();
    }
  });

  it('releases every lease of an instance that shuts down', async () => {
    await startInstances();
    try {
      await acquireMany(a, 'session-1', LIMIT);
      expect(await b.acquire('session-1', LIMIT)).toBeUndefined();
      await a.onModuleDestroy();
      expect(await acquireMany(b, 'session-1', LIMIT)).toHaveLength(LIMIT);
    } finally {
      await b.onModuleDestroy();
    }
  });

  it('stops counting the streams of a crashed instance once their leases run out', async () => {
    prefix = uniquePrefix();
    // A real process holding five leases, killed without a chance to release them.
    const script = `
      const { RedisStreamLeases } = await import(${JSON.stringify(resolve('dist/src/events/redis-stream-leases.js'))});
      const leases = new RedisStreamLeases(${JSON.stringify(redis.url)}, ${JSON.stringify(prefix)}, ${JSON.stringify(TIMINGS)});
      await leases.connect();
      for (let i = 0; i < ${String(LIMIT)}; i += 1) await leases.acquire('session-1', ${String(LIMIT)});
      console.log('held');
      setInterval(() => undefined, 60_000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((done) => child.once('exit', done));
    try {
      await new Promise<void>((held, failed) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('held')) held();
        });
        child.once('exit', () => {
          failed(new Error('the lease holder exited early'));
        });
      });
      const survivor = new RedisStreamLeases(redis.url, prefix, TIMINGS);
      await survivor.connect();
      try {
        // Alive, it refreshes its leases: still refused after more than a TTL.
        await new Promise((done) => setTimeout(done, TIMINGS.ttlMs * 1.5));
        expect(await survivor.acquire('session-1', LIMIT)).toBeUndefined();
        child.kill('SIGKILL');
        await exited;
        const started = Date.now();
        const lease = await eventually(
          () => survivor.acquire('session-1', LIMIT),
          (granted) => granted !== undefined,
          TIMINGS.ttlMs * 3,
        );
        expect(lease).toBeDefined();
        expect(Date.now() - started).toBeLessThan(TIMINGS.ttlMs * 3);
      } finally {
        await survivor.onModuleDestroy();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  });

  it('counts per instance while Redis is down, and shares those leases once it is back', async () => {
    await startInstances();
    try {
      await redis.stop();
      await eventually(
        () => a.acquire('session-1', LIMIT).then((lease) => lease !== undefined),
        (granted) => granted,
      );
      // One lease is held on A; four more fit on this instance, then the cap holds here.
      await acquireMany(a, 'session-1', LIMIT - 1);
      expect(await a.acquire('session-1', LIMIT)).toBeUndefined();

      await redis.start();
      // A writes the leases it took meanwhile back to Redis...
      const inspector = new Redis(redis.url);
      try {
        const stored = await eventually(
          () => inspector.zcard(`${prefix}streams:session-1`),
          (count) => count === LIMIT,
          10_000,
        );
        expect(stored).toBe(LIMIT);
      } finally {
        inspector.disconnect();
      }
      // ...so B counts them, once it is back in touch with Redis too.
      await eventually(
        () => Promise.resolve(b.shared),
        (shared) => shared,
        10_000,
      );
      expect(await b.acquire('session-1', LIMIT)).toBeUndefined();
    } finally {
      await stopInstances();
    }
  });
});
