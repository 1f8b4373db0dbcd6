import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, signInNew } from '../support/auth.js';
import { openEvents } from '../support/event-stream.js';
import { request } from '../support/http.js';
import { type Deployment, startDeployment } from '../support/live-events.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import type { TestApp } from '../support/test-app.js';

/**
 * Contract (Live events): `session.revoked` goes to "the streams of that session, which then
 * close (also a stream that was being opened when the revocation landed, on any instance)".
 *
 * Instance A reaches Redis through a proxy the test can stall, so a stream opened on A waits for
 * its lease after the guard has let its token in; meanwhile the session is revoked on B, and A
 * hears of it (its log relay reads it) before the stream has subscribed.
 */
describe('a stream being opened while its session is revoked, across instances', () => {
  let proxy: TcpProxy;
  let deployment: Deployment;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    deployment = await startDeployment(sharedRedisUrl, {}, { proxyRedisOfA: true });
    ({ a, b } = deployment);
    proxy = deployment.redisProxyOfA!;
  }, 90_000);
  afterAll(() => deployment.close());

  it('never opens (or closes at once) a stream whose session was revoked while it was opening', async () => {
    const customer = await signInNew(b, 'customer');
    proxy.hold();
    let opening: ReturnType<typeof openEvents> | undefined;
    try {
      opening = openEvents(a.url, customer.accessToken);
      // The guard on A has let the token in; the stream waits for its lease in Redis.
      await sleep(300);
      const revoked = await request(`${b.url}/api/sessions/${customer.session.id}`, {
        method: 'DELETE',
        headers: bearer(customer.accessToken),
      });
      expect(revoked.status).toBe(204);
      // A's log relay (a read every second) brings the revocation to A before Redis does.
      await sleep(2_500);
    } finally {
      proxy.release();
    }
    const result = await opening;
    if (result.status === 200) {
      const stream = result.stream!;
      try {
        const event = await stream.next((e) => e.event === 'session.revoked', 3_000);
        expect(event.data).toEqual({ sessionId: customer.session.id, reason: 'logout' });
        await stream.ended;
      } finally {
        stream.close();
      }
    } else {
      expect(result.status).toBe(401);
      expect(result.body.code).toBe('SESSION_REVOKED');
    }
  });
});
