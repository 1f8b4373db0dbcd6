import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MailService } from '../../src/mail/mail.service.js';
import { registerCustomer } from '../support/auth.js';
import { request } from '../support/http.js';
import { NO_LIMITS, eventually, sharedInstanceEnv } from '../support/live-events.js';
import { ThrowawayRedis } from '../support/redis-server.js';
import { type TestSmtpServer, startSmtpServer } from '../support/smtp-server.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const MESSAGES = 60;

// Both instances run the mail job on one outbox: every message reaches the SMTP server once.
describe('mail across two instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let redis: ThrowawayRedis;
  let smtp: TestSmtpServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await ThrowawayRedis.start();
    smtp = await startSmtpServer();
    const env = {
      ...NO_LIMITS,
      ...sharedInstanceEnv(redis.url),
      SMTP_URL: smtp.url,
      MAIL_POLL_INTERVAL: '1',
      RATE_LIMIT_PASSWORD_RESET_EMAIL: '2',
    };
    a = await startTestApp({ database: db.target, env });
    b = await startTestApp({ database: db.target, env });
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await smtp.close();
    await db.drop();
    await redis.stop();
  });

  it('delivers each of many messages, queued on both, exactly once', async () => {
    const queued: string[] = [];
    await Promise.all(
      Array.from({ length: MESSAGES }, async (_, index) => {
        const app = index % 2 === 0 ? a : b;
        const to = `guest-${String(index)}@example.com`;
        queued.push(to);
        await app.app.get(DataSource).transaction((manager) =>
          app.app.get(MailService).enqueue(manager, {
            to,
            template: 'password_reset_done',
            payload: { name: `Guest ${String(index)}`, app: 'customer' },
          }),
        );
      }),
    );
    // Both jobs at once, besides the nudges and the timers already running.
    await Promise.all([
      a.app.get(MailService).deliverDue(),
      b.app.get(MailService).deliverDue(),
      a.app.get(MailService).deliverDue(),
      b.app.get(MailService).deliverDue(),
    ]);
    await eventually(
      () => Promise.resolve(smtp.received.length),
      (count) => count >= MESSAGES,
      15_000,
    );
    // A while longer: a duplicate would show up now.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(smtp.received).toHaveLength(MESSAGES);
    expect(smtp.received.map((mail) => mail.to[0]).sort()).toEqual([...queued].sort());
    expect(new Set(smtp.received.map((mail) => mail.messageId)).size).toBe(MESSAGES);
    const rows = await a.sql<{ attempts: number; sent: boolean }>(
      `SELECT attempts, sent_at IS NOT NULL AS sent FROM mail_outbox`,
    );
    expect(rows).toHaveLength(MESSAGES);
    expect(rows.every((row) => row.sent && row.attempts === 1)).toBe(true);
  }, 60_000);

  it('counts reset requests per email across instances', async () => {
    const customer = await registerCustomer(a);
    const ask = (app: TestApp) =>
      request(`${app.url}/api/auth/password-reset`, {
        method: 'POST',
        json: { email: customer.email },
      });
    expect((await ask(a)).status).toBe(202);
    expect((await ask(b)).status).toBe(202);
    expect((await ask(a)).status).toBe(429);
    expect((await ask(b)).status).toBe(429);
  });
});
