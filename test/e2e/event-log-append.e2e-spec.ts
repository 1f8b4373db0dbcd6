import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { LoggableEvent, LoggedEvent } from '../../src/events/domain-event.js';
import { EventLog, eventsWrittenSince } from '../../src/events/event-log.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

// The log's ids are read as text; ordering by that text would put "1000" before "999". These
// events are logged with ids that cross a power of ten.
describe('the event log across a power of ten', () => {
  let app: TestApp;
  let ids: string[];
  let logged: LoggedEvent[];
  let startedAt: Date;
  const events: LoggableEvent[] = [
    { type: 'menu.updated' },
    { type: 'menu.updated' },
    { type: 'order.created', order: { id: 'third' }, customerId: randomUUID() },
    { type: 'session.revoked', sessionId: randomUUID(), userId: randomUUID(), reason: 'logout' },
  ];

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
    // Past whatever the app logged while starting: 98…8, 99…9, 100…0, 100…1.
    const [latest] = await app.sql<{ id: string }>(
      'SELECT coalesce(max(id), 0)::text AS id FROM event_log',
    );
    const first = 10 ** ((latest?.id ?? '0').length + 1) - 2;
    await app.sql(`SELECT setval(pg_get_serial_sequence('event_log', 'id'), $1)`, [first - 1]);
    ids = events.map((_event, index) => String(first + index));
    startedAt = new Date();
    logged = await app.app
      .get(DataSource)
      .transaction((manager) => app.app.get(EventLog).appendAll(events, manager));
  });

  afterAll(() => app.close());

  it('appendAll gives each event the id it was logged under, in the order given', async () => {
    expect(logged).toEqual(events.map((event, index) => ({ ...event, id: ids[index] })));
    const rows = await app.sql<{ id: string; type: string }>(
      'SELECT id::text AS id, type FROM event_log WHERE id >= $1 ORDER BY event_log.id',
      [ids[0]],
    );
    expect(rows).toEqual(events.map((event, index) => ({ id: ids[index], type: event.type })));
  });

  it('a replay gives the missed events in id order', async () => {
    const replay = await app.app.get(EventLog).replay(ids[0] ?? '', {
      userId: randomUUID(),
      sessionId: randomUUID(),
      seesAllOrders: true,
    });
    // The session.revoked event is another session's, so this audience does not get it.
    expect(replay).toEqual({ kind: 'events', events: [logged[1], logged[2]] });
  });

  it('catching up gives the events written since in id order', async () => {
    const since = await eventsWrittenSince(app.app.get(DataSource).manager, startedAt);
    expect(since.map((event) => event.id)).toEqual(ids);
  });
});
