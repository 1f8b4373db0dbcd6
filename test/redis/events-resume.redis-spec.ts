import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, signInNew } from '../support/auth.js';
import { type OpenStream, mustOpenEvents } from '../support/event-stream.js';
import { ThrowawayRedis } from '../support/redis-server.js';
import type { TestApp } from '../support/test-app.js';
import { commitElsewhere, startLiveEventsApp } from '../support/live-events.js';

// Found by the soak test: a stream resuming with Last-Event-ID got an event twice when the
// instance heard of it (Redis, or the log relay) only after the replay had already sent it.
describe('live events: resuming with Last-Event-ID', () => {
  let redis: ThrowawayRedis;
  let app: TestApp;
  let buyer: SignedIn;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    app = await startLiveEventsApp(redis);
    buyer = await signInNew(app, 'customer');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await app.close();
    await redis.stop();
  });

  it('sends a replayed event once, even when the instance hears of it after the replay', async () => {
    const watching = await mustOpenEvents(app.url, buyer.accessToken);
    streams.push(watching);
    const before = await commitElsewhere(app);
    // The client's last event: this instance has delivered it (the relay brought it).
    await watching.next((e) => e.id === before);
    // Committed by "another instance" whose publish has not arrived yet: in the log only, so the
    // replay below reads it, and the log relay brings it to this instance within a second.
    const late = await commitElsewhere(app);
    const stream = await mustOpenEvents(app.url, buyer.accessToken, { lastEventId: before });
    streams.push(stream);
    await stream.next((e) => e.id === late);
    // Several relay ticks later, still once.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(stream.events.map((e) => e.id)).toEqual([late]);
  });
});
