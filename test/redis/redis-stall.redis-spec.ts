import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loginAs, signInNew } from '../support/auth.js';
import { openEvents } from '../support/event-stream.js';
import { request } from '../support/http.js';
import { type Deployment, eventually, readiness, startDeployment } from '../support/live-events.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/** Longer than any answer here should take, far shorter than a request left hanging on Redis. */
const ANSWER_WITHIN_MS = 8_000;

/**
 * A Redis that stops answering (connections open, no replies) must not hang requests: rate
 * limits and stream leases count in memory, readiness says Redis is down, and all recovers when
 * Redis answers again. Instance A reaches Redis through a proxy the test stalls.
 */
describe('a Redis that stops answering', () => {
  let proxy: TcpProxy;
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await startDeployment(
      sharedRedisUrl,
      { RATE_LIMIT_ANON_PER_MINUTE: '600', RATE_LIMIT_USER_PER_MINUTE: '600' },
      { proxyRedisOfA: true },
    );
    proxy = deployment.redisProxyOfA!;
  }, 90_000);
  afterAll(() => deployment.close());

  it('still answers requests, says Redis is down in readiness, and recovers', async () => {
    const { a } = deployment;
    const customer = await signInNew(a, 'customer');
    proxy.hold();
    try {
      const menu = await request(`${a.url}/api/menu`, {
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      expect(menu.status).toBe(200);
      const ready = await request(`${a.url}/api/health/ready`, {
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toEqual({ database: 'up', redis: 'down' });
      const again = await loginAs(a, {
        email: customer.credentials.email,
        password: customer.credentials.password,
        app: 'customer',
      });
      expect(again.user.id).toBe(customer.user.id);
      const stream = await Promise.race([
        openEvents(a.url, customer.accessToken),
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            reject(new Error('the stream did not open'));
          }, ANSWER_WITHIN_MS),
        ),
      ]);
      expect(stream.status).toBe(200);
      stream.stream?.close();
    } finally {
      proxy.release();
    }
    const recovered = await eventually(
      () => readiness(a),
      (state) => state.status === 200,
    );
    expect(recovered.body.checks).toEqual({ database: 'up', redis: 'up' });
  });
});
