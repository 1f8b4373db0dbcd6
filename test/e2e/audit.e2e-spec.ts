import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

describe('audit log', () => {
  let db: TestDatabase;
  let app: TestApp;
  let audit: AuditService;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ database: db.target });
    audit = app.app.get(AuditService);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  describe('AuditService', () => {
    it('writes in the caller’s transaction: a rolled-back change leaves no event', async () => {
      const userId = randomUUID();
      await expect(
        app.app.get(DataSource).transaction(async (manager) => {
          await audit.record({ type: 'user_created', userId }, manager);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await audit.list({ page: 1, limit: 20, userId })).total).toBe(0);

      await app.app.get(DataSource).transaction(async (manager) => {
        await audit.record({ type: 'user_created', userId, details: { role: 'admin' } }, manager);
      });
      const page = await audit.list({ page: 1, limit: 20, userId });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        type: 'user_created',
        userId,
        details: { role: 'admin' },
      });
    });

    it('never stores passwords or tokens, even when a caller passes them', async () => {
      const userId = randomUUID();
      await audit.record({
        type: 'password_changed',
        userId,
        details: { password: 'hunter2-hunter2', refreshToken: 'abc.def', note: 'ok' },
      });
      const rows = await app.sql<{ details: unknown }>(
        'SELECT details FROM audit_events WHERE user_id = $1',
        [userId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.details).toEqual({ note: 'ok' });
      expect(JSON.stringify(rows)).not.toContain('hunter2');
    });

    it('lists newest first in a stable order, paginated and filtered by type and user', async () => {
      const userId = randomUUID();
      const sessionId = randomUUID();
      for (let index = 0; index < 5; index++) {
        await audit.record({
          type: index % 2 === 0 ? 'login_failed' : 'login_succeeded',
          userId,
          sessionId,
          ip: '203.0.113.9',
          details: { index },
        });
      }
      const all = await audit.list({ page: 1, limit: 100, userId });
      expect(all.total).toBe(5);
      expect(all.items.map((item) => item.details.index)).toEqual([4, 3, 2, 1, 0]);
      expect(all.items[0]).toEqual({
        id: expect.any(String),
        type: 'login_failed',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        userId,
        sessionId,
        ip: '203.0.113.9',
        details: { index: 4 },
      });

      const first = await audit.list({ page: 1, limit: 2, userId });
      const second = await audit.list({ page: 2, limit: 2, userId });
      const third = await audit.list({ page: 3, limit: 2, userId });
      expect(first.total).toBe(5);
      expect([...first.items, ...second.items, ...third.items].map((item) => item.id)).toEqual(
        all.items.map((item) => item.id),
      );

      const failed = await audit.list({ page: 1, limit: 100, userId, type: 'login_failed' });
      expect(failed.total).toBe(3);
      expect(failed.items.every((item) => item.type === 'login_failed')).toBe(true);
    });

    it('keeps events of one transaction in the order they were recorded', async () => {
      const userId = randomUUID();
      await app.app.get(DataSource).transaction(async (manager) => {
        await audit.record({ type: 'user_created', userId }, manager);
        await audit.record({ type: 'user_role_changed', userId }, manager);
        await audit.record({ type: 'user_deactivated', userId }, manager);
      });
      const page = await audit.list({ page: 1, limit: 10, userId });
      expect(page.items.map((item) => item.type)).toEqual([
        'user_deactivated',
        'user_role_changed',
        'user_created',
      ]);
    });
  });
});
