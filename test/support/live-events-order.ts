/**
 * The id-order test of live events, for each bus: the in-process one (e2e) and Redis (redis).
 *
 * Found by the soak test: an instance delivered its own events at once, while another instance's
 * earlier event (a smaller id) arrived later, over Redis or the log relay. A client that got the
 * later id and resumed from it never got the earlier one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, signInNew } from './auth.js';
import { type OpenStream, mustOpenEvents } from './event-stream.js';
import { commitElsewhere, createMenuItem, startLiveEventsApp } from './live-events.js';
import { ThrowawayRedis } from './redis-server.js';
import type { TestApp } from './test-app.js';

export function describeLiveEventsInIdOrder(bus: 'in-process' | 'Redis'): void {
  const withRedis = bus === 'Redis';
  describe(`live events with the ${bus} bus: in id order`, () => {
    let redis: ThrowawayRedis | undefined;
    let app: TestApp;
    let admin: SignedIn;
    let buyer: SignedIn;
    const streams: OpenStream[] = [];

    beforeAll(async () => {
      if (withRedis) redis = await ThrowawayRedis.start();
      app = await startLiveEventsApp(redis);
      admin = await signInNew(app, 'admin');
      buyer = await signInNew(app, 'customer');
    });

    afterAll(async () => {
      for (const stream of streams) stream.close();
      await app.close();
      await redis?.stop();
    });

    async function latestId(): Promise<string> {
      const [row] = await app.sql<{ id: string }>('SELECT max(id)::text AS id FROM event_log');
      if (!row) throw new Error('no id');
      return row.id;
    }

    it('delivers an event committed elsewhere before a later one made here, and a resume from any received id misses nothing', async () => {
      const stream = await mustOpenEvents(app.url, buyer.accessToken);
      streams.push(stream);
      const start = await latestId();
      const elsewhere: string[] = [];
      for (let round = 0; round < 5; round += 1) {
        elsewhere.push(await commitElsewhere(app));
        // Published here right after its commit: it must not overtake the one above.
        await createMenuItem(app, admin);
      }
      const end = await latestId();
      await stream.next((event) => event.id === end, 5_000);

      const received = stream.events.flatMap((event) => (event.id === undefined ? [] : [event.id]));
      // The stream may also get, live, entries committed just before it opened (the demo menu's).
      const first = received[0] ?? start;
      const logged = (
        await app.sql<{ id: string }>(
          `SELECT id::text AS id FROM event_log
            WHERE id > $1 AND id <= $2 AND customer_id IS NULL AND session_id IS NULL
            ORDER BY event_log.id`,
          [first, end],
        )
      ).map((row) => row.id);
      expect(received).toEqual(expect.arrayContaining(elsewhere));
      // Every event once, in id order: from the first on, exactly the log's entries.
      expect(received.slice(1)).toEqual(logged);

      // Resuming from any id received, the client gets exactly what the stream sent after it.
      for (const [index, id] of received.entries()) {
        const resumed = await mustOpenEvents(app.url, buyer.accessToken, { lastEventId: id });
        streams.push(resumed);
        const rest = received.slice(index + 1);
        if (rest.length > 0) await resumed.next((event) => event.id === end, 5_000);
        resumed.close();
        expect(
          resumed.events.flatMap((event) => (event.id === undefined ? [] : [event.id])),
        ).toEqual(rest);
      }
    });
  });
}
