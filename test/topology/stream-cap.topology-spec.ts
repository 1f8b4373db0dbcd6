import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type SignedIn, signInNew } from '../support/auth.js';
import { type OpenStream, abandonEvents, openEvents } from '../support/event-stream.js';
import { NO_LIMITS, eventually, sharedInstanceEnv } from '../support/live-events.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import {
  type ServerProcess,
  errorLogLines,
  freePort,
  startServerProcess,
  waitForHttp,
} from '../support/server-process.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

jest.setTimeout(120_000);

// A runs in this process, B as a separate server process; both on the machine's PostgreSQL and
// Redis (with this run's own key prefix), as two instances of one deployment.
describe('the per-session stream cap across two instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: ServerProcess;
  const opened: OpenStream[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      ...NO_LIMITS,
      ...sharedInstanceEnv(sharedRedisUrl),
    };
    a = await startTestApp({ database: db.target, env });
    b = startServerProcess(
      { ...env, DATABASE_URL: db.target.url, DATABASE_SCHEMA: db.target.schema ?? '' },
      await freePort(),
    );
    await waitForHttp(`${b.url}/api/health/ready`);
  });

  afterAll(async () => {
    for (const stream of opened) stream.close();
    if (b.child.exitCode === null) b.child.kill('SIGTERM');
    await b.exited;
    await a.close();
    await db.drop();
  });

  async function open(baseUrl: string, who: SignedIn): Promise<OpenStream> {
    const result = await openEvents(baseUrl, who.accessToken);
    if (!result.stream) throw new Error(`expected a stream, got ${String(result.status)}`);
    opened.push(result.stream);
    return result.stream;
  }

  async function expectRefused(baseUrl: string, who: SignedIn): Promise<void> {
    const result = await openEvents(baseUrl, who.accessToken);
    result.stream?.close();
    expect(result.status).toBe(429);
    expect(result.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
  }

  it('counts 3 streams on A and 2 on B together: the 6th on either gets 429, closing one frees a slot', async () => {
    const buyer = await signInNew(a, 'customer');
    const onA = [await open(a.url, buyer), await open(a.url, buyer), await open(a.url, buyer)];
    const onB = [await open(b.url, buyer), await open(b.url, buyer)];
    await expectRefused(a.url, buyer);
    await expectRefused(b.url, buyer);
    // Another session has its own five.
    const other = await signInNew(a, 'customer');
    await open(b.url, other);

    onB[0]?.close();
    await onB[0]?.ended;
    const reopened = await eventually(
      () => openEvents(a.url, buyer.accessToken),
      (result) => result.status !== 429,
      5_000,
    );
    expect(reopened.status).toBe(200);
    if (reopened.stream) opened.push(reopened.stream);
    await expectRefused(b.url, buyer);
    expect(onA.every((stream) => !stream.isEnded)).toBe(true);
  });

  it('leaks no slot when clients leave while their stream is being opened', async () => {
    const buyer = await signInNew(a, 'customer');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        abandonEvents(i % 2 === 0 ? a.url : b.url, buyer.accessToken, i),
      ),
    );
    // Every abandoned stream gives its slot back: five open again, across both instances.
    const five = await eventually(
      async () => {
        const results = await Promise.all(
          [a.url, b.url, a.url, b.url, a.url].map((url) => openEvents(url, buyer.accessToken)),
        );
        const streams = results.flatMap((result) => (result.stream ? [result.stream] : []));
        if (streams.length < 5) for (const stream of streams) stream.close();
        return streams;
      },
      (streams) => streams.length === 5,
      5_000,
    );
    expect(five).toHaveLength(5);
    opened.push(...five);
    await expectRefused(b.url, buyer);
  });

  // Last: it stops B.
  it('stops B on SIGTERM with streams open: exit 0, nothing logged as an error', async () => {
    const buyer = await signInNew(a, 'customer');
    await open(b.url, buyer);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(errorLogLines(b)).toEqual([]);
  });
});
