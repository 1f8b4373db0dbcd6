import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STRONG_PASSWORD, loginRequest, registerCustomer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';
import { databaseBefore } from '../support/migrations-before.js';

/**
 * Contract (Auth): "Emails have one canonical form everywhere (Unicode NFKC, trimmed, lower-cased
 * the same way in the database, the rate-limit keys and uniqueness): two spellings that reach one
 * account are one email for every limit."
 */
describe('one canonical email everywhere', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { RATE_LIMIT_LOGIN_EMAIL_IP: '5' } });
  }, 60_000);
  afterAll(() => app.close());

  const tag = (): string => randomUUID().slice(0, 8);

  it('a dotted capital İ is not the letter i: that spelling reaches no account', async () => {
    // The database's lower() maps İ to i (so it used to sign in), Unicode to i + a combining dot
    // (so it had limit counters of its own).
    const user = await registerCustomer(app, { email: `ilker-${tag()}@example.com` });
    const dotted = `İ${user.email.slice(1)}`;
    const response = await loginRequest(app, {
      email: dotted,
      password: user.password,
      app: 'customer',
    });
    expectErrorBody(response, 401, 'INVALID_CREDENTIALS');
  });

  it('every spelling that reaches an account signs in to it and counts on its limits', async () => {
    const id = tag();
    const user = await registerCustomer(app, { email: `sam-${id}@example.com` });
    const spellings = [
      `SAM-${id}@EXAMPLE.com`,
      `  sam-${id}@example.com `,
      // Fullwidth letters: the compatibility form of the same ASCII.
      `ＳＡＭ-${id}@example.com`,
    ];
    for (const email of spellings) {
      const response = await loginRequest(app, { email, password: user.password, app: 'customer' });
      expect(response.status).toBe(200);
      expect(response.body.user.email).toBe(user.email);
    }
    for (let index = 0; index < 5; index++) {
      const email = spellings[index % spellings.length]!;
      const wrong = await loginRequest(app, {
        email,
        password: 'wrong-password-x',
        app: 'customer',
      });
      expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
    }
    for (const email of [...spellings, user.email]) {
      const limited = await loginRequest(app, {
        email,
        password: user.password,
        app: 'customer',
      });
      expectErrorBody(limited, 429, 'RATE_LIMITED');
    }
  });

  it('judges a new email as it will be stored (normalized), and refuses invisible characters', async () => {
    const id = tag();
    const register = (email: string) =>
      request(`${app.url}/api/auth/register`, {
        method: 'POST',
        json: { email, password: STRONG_PASSWORD, name: 'Careful Person' },
      });
    for (const email of [
      `victim-${id}＠taproom.local@example.com`, // a fullwidth "@": two "@" once normalized
      `attacker-${id}，admin@taproom.local`, // a fullwidth comma
      `x\u3000y-${id}@example.com`, // an ideographic space
      `cus\u200btomer-${id}@taproom.local`, // a zero-width space: a lookalike
      `soft\u00adhyphen-${id}@example.com`,
      `${'\ufdfa'.repeat(20)}-${id}@example.com`, // 20 characters that expand to 360
      `cus\u034ftomer-${id}@taproom.local`, // a combining grapheme joiner: invisible, not \p{C}
      `\u3164admin-${id}@taproom.local`, // a Hangul filler: a letter that shows as nothing
      `admin\u2800-${id}@taproom.local`, // a blank Braille pattern
      `\u0430dmin-${id}@taproom.local`, // a Cyrillic "а" among Latin letters
      `admin-${id}@t\u0430proom.local`, // the same in a label of the domain
      `\u03bfwner-${id}@taproom.local`, // a Greek omicron
      `adm\u0131\u0307n-${id}@taproom.local`, // a dotless i with a combining dot: draws "admin"
      `\u0251dmin-${id}@taproom.local`, // a Latin alpha (IPA)
      `boss-${id}@t\u0251proom.local`,
      `\u1d00\u1d05\u1d0d\u026a\u0274-${id}@taproom.local`, // small capitals
      `b\u2c9fss-${id}@taproom.local`, // a Coptic o
      `\ua4d0oss-${id}@taproom.local`, // a Lisu letter
      `bo\u0282\u0282-${id}@taproom.local`, // s-like IPA letters
      `boss-${id}@tap\u{1d159}room.local`, // a symbol that draws nothing
      `${'\u0130'.repeat(120)}-${id}@example.com`, // 250 characters once lower-cased
    ]) {
      const response = await register(email);
      const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain('email');
    }
    const fullwidth = await register(`ＦＵＬＬ-${id}@example.com`);
    expect(fullwidth.status).toBe(201);
    expect(fullwidth.body.user.email).toBe(`FULL-${id}@example.com`);
    // One script per part is a name people have, whichever script it is.
    const digits = parseInt(id, 16);
    for (const email of [
      `иван-${digits}@пример.рф`,
      `ωμέγα-${digits}@example.com`,
      `josé-${id}@example.com`,
      `tanaka-${digits}@例え.jp`,
      `ラーメン-${digits}@example.com`,
      `राम-${digits}@example.com`, // Devanagari needs its combining vowel signs
    ]) {
      const response = await register(email);
      expect(response.status).toBe(201);
    }
  });

  it('refuses a second account under another spelling of a taken email', async () => {
    const id = tag();
    await registerCustomer(app, { email: `ann-${id}@example.com` });
    for (const email of [`ANN-${id}@example.com`, `ＡＮＮ-${id}@example.com`]) {
      const response = await request(`${app.url}/api/auth/register`, {
        method: 'POST',
        json: { email, password: STRONG_PASSWORD, name: 'Ann Again' },
      });
      expectErrorBody(response, 409, 'EMAIL_TAKEN');
    }
  });
});

describe('the canonical-email migration', () => {
  it('keeps the oldest of accounts that become one email, and deactivates the others', async () => {
    const before = await databaseBefore('CanonicalEmailsAndCredentialVersions');
    const { dataSource } = before;
    try {
      const [older, newer, other] = [randomUUID(), randomUUID(), randomUUID()];
      // Distinct under lower(), one email in canonical form.
      await dataSource.query(
        `INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES
             ($1, 'Sam@Example.com', 'Sam', 'customer', 'x', now() - interval '2 days'),
             ($2, 'ＳＡＭ@example.com', 'Sam too', 'customer', 'x', now() - interval '1 day'),
             ($3, 'Other@Example.com', 'Other', 'bartender', 'x', now())`,
        [older, newer, other],
      );
      await dataSource.query(
        `INSERT INTO sessions (id, user_id, app, role, salt, device, idle_expires_at, expires_at)
           VALUES ($1, $2, 'customer', 'customer', '\\x00', 'x', now() + interval '1 h',
                   now() + interval '1 h')`,
        [randomUUID(), newer],
      );
      await before.migrateRest();
      const users = await dataSource.query<
        { id: string; email_canonical: string; active: boolean; credentials_version: number }[]
      >(`SELECT id, email_canonical, active, credentials_version FROM users`);
      const byId = new Map(users.map((user) => [user.id, user]));
      expect(byId.get(older)).toMatchObject({ email_canonical: 'sam@example.com', active: true });
      expect(byId.get(other)).toMatchObject({
        email_canonical: 'other@example.com',
        active: true,
        credentials_version: 0,
      });
      expect(byId.get(newer)).toMatchObject({
        email_canonical: `sam@example.com#duplicate-${newer}`,
        active: false,
        credentials_version: 1,
      });
      const [session] = await dataSource.query<{ revoked_reason: string }[]>(
        `SELECT revoked_reason FROM sessions WHERE user_id = $1`,
        [newer],
      );
      expect(session?.revoked_reason).toBe('deactivated');
      const audit = await dataSource.query<{ details: unknown }[]>(
        `SELECT details FROM audit_events WHERE user_id = $1 AND type = 'user_deactivated'`,
        [newer],
      );
      expect(audit.map((row) => row.details)).toEqual([
        { reason: 'duplicate_email', keptUserId: older },
      ]);
      await expect(
        dataSource.query(
          `INSERT INTO users (id, email, email_canonical, name, role, password_hash)
             VALUES ($1, 'x', 'sam@example.com', 'x', 'customer', 'x')`,
          [randomUUID()],
        ),
      ).rejects.toThrow(/uq_users_email_canonical/);
    } finally {
      await before.drop();
    }
  });
});
