import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { me, refreshWith, signInNew } from '../support/auth.js';
import { mustOpenEvents } from '../support/event-stream.js';
import { expectErrorBody } from '../support/http.js';
import { type Deployment, startDeployment } from '../support/live-events.js';
import { sharedRedisUrl } from '../support/redis-server.js';

const IDLE_SECONDS = 3;

/**
 * Contract (Sessions): "A session idle past its idle timeout ... can no longer refresh"; (Live
 * events) "The stream lives as long as its session". Two instances: activity is written at most
 * once a minute per instance, so the second instance's first request writes it at once.
 */
describe('a session past its idle timeout, on two instances', () => {
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await startDeployment(sharedRedisUrl, {
      SESSION_IDLE_BARTENDER: `${IDLE_SECONDS}s`,
    });
  }, 90_000);
  afterAll(() => deployment.close());

  it('ends its event stream at the idle deadline', async () => {
    const bartender = await signInNew(deployment.a, 'bartender');
    const stream = await mustOpenEvents(deployment.a.url, bartender.accessToken);
    try {
      await stream.nextComment((comment) => comment === 'session expired', 8_000);
      await stream.ended;
    } finally {
      stream.close();
    }
  });

  it('is not brought back by a request made with an access token that outlived it', async () => {
    const bartender = await signInNew(deployment.a, 'bartender');
    await sleep(IDLE_SECONDS * 1000 + 1000);
    // Its access token is still valid (it lasts 10 minutes): the request itself is served...
    expect((await me(deployment.b, bartender.accessToken)).status).toBe(200);
    // ...but the session stays over.
    expectErrorBody(
      await refreshWith(deployment.a, 'bartender', bartender.refreshToken!),
      401,
      'REFRESH_INVALID',
    );
  });
});
