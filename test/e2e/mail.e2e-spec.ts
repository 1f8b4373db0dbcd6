import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { PasswordResetService } from '../../src/auth/password-reset.service.js';
import { MailRetention } from '../../src/mail/mail-retention.js';
import { MailService } from '../../src/mail/mail.service.js';
import {
  STRONG_PASSWORD,
  bearer,
  createUser,
  loginAs,
  loginRequest,
  me,
  refreshWith,
  registerCustomer,
  uniqueEmail,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type ReceivedMail,
  type TestSmtpServer,
  linkIn,
  startSmtpServer,
} from '../support/smtp-server.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';
import { type TestApp, startAppOnNewDatabase, startTestApp } from '../support/test-app.js';

const PUBLIC_URL = 'https://bar.example.com';
const NEW_PASSWORD = 'a-brand-new-password-for-2027';
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1';
const LAPTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

function askReset(app: TestApp, email: string, headers: Record<string, string> = {}) {
  return request(`${app.url}/api/auth/password-reset`, {
    method: 'POST',
    headers,
    json: { email },
  });
}

function confirmReset(app: TestApp, token: string, newPassword = NEW_PASSWORD) {
  return request(`${app.url}/api/auth/password-reset/confirm`, {
    method: 'POST',
    json: { token, newPassword },
  });
}

function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (token === null) throw new Error(`no token in ${link}`);
  return token;
}

const to = (email: string) => (mail: ReceivedMail) => mail.to.includes(email);

let ipCount = 0;
/** A client address of its own, so the per-IP reset limit never mixes tests. */
function ownIp(): Record<string, string> {
  ipCount += 1;
  return { 'x-forwarded-for': `198.18.${String(ipCount >> 8)}.${String(ipCount & 255)}` };
}

/** Polls `read` until `done` holds (the mail job works in the background), or fails. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('mail: password reset and new-device notices over real SMTP', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startAppOnNewDatabase({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'The Tap <no-reply@bar.example.com>',
        PUBLIC_URL,
        VENUE_NAME: 'The Tap',
        VENUE_TIMEZONE: 'Europe/Berlin',
        MAIL_RETRY_BASE: '1',
        MAIL_MAX_ATTEMPTS: '3',
        MAIL_POLL_INTERVAL: '1',
        TRUST_PROXY: '1',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  async function settled(): Promise<void> {
    await app.app.get(PasswordResetService).settled();
  }

  it('mails a working link to the customer app; it works once and ends every session', async () => {
    const customer = await registerCustomer(app, { name: 'Ann Reset' });
    const first = await loginAs(app, { ...customer, app: 'customer', userAgent: LAPTOP });
    const second = await loginAs(app, { ...customer, app: 'customer', userAgent: LAPTOP });

    const asked = await askReset(app, customer.email.toUpperCase());
    expect(asked.status).toBe(202);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(customer.email) && m.subject === 'Reset your The Tap password',
    );
    expect(mail.parsed.from?.text).toBe('"The Tap" <no-reply@bar.example.com>');
    expect(mail.text).toContain('Hello Ann Reset,');
    expect(mail.html).toContain('The Tap');
    const link = linkIn(mail, `${PUBLIC_URL}/reset-password?token=`);
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));
    const token = tokenOf(link);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    // Only the hash is stored, and the queued payload never holds the token in the clear.
    const stored = await app.sql<{ hash: Buffer }>(
      `SELECT token_hash AS hash FROM account_link_tokens WHERE user_id = $1`,
      [customer.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.hash.toString('base64url')).not.toBe(token);
    const outbox = await app.sql<{ payload: unknown }>(`SELECT payload FROM mail_outbox`);
    expect(JSON.stringify(outbox)).not.toContain(token);

    const done = await confirmReset(app, token);
    expect(done.status).toBe(204);
    // Every session ended: the access token is refused, the refresh token too.
    const old = await me(app, first.accessToken);
    expect(old.status).toBe(401);
    expectErrorBody(old, 401, 'SESSION_REVOKED');
    expect((await refreshWith(app, 'customer', second.refreshToken!)).status).toBe(401);
    const reasons = await app.sql<{ reason: string }>(
      `SELECT DISTINCT revoked_reason AS reason FROM sessions WHERE user_id = $1`,
      [customer.id],
    );
    expect(reasons).toEqual([{ reason: 'password_reset' }]);
    // The old password is gone, the new one works.
    expect((await loginRequest(app, { ...customer, app: 'customer' })).status).toBe(401);
    expect(
      (await loginRequest(app, { ...customer, password: NEW_PASSWORD, app: 'customer' })).status,
    ).toBe(200);
    // Once only.
    const again = await confirmReset(app, token, 'yet-another-password-2028');
    expect(again.status).toBe(400);
    expectErrorBody(again, 400, 'VALIDATION_FAILED');
    expect(again.body.details).toEqual([{ field: 'token', errors: [expect.any(String)] }]);

    const confirmation = await smtp.waitFor(
      (m) => m.to.includes(customer.email) && m.subject === 'Your The Tap password was changed',
    );
    expect(confirmation.text).toContain(`${PUBLIC_URL}/forgot-password`);
    const audit = await app.sql<{ type: string }>(
      `SELECT type FROM audit_events WHERE user_id = $1 AND type LIKE 'password_reset%' ORDER BY seq`,
      [customer.id],
    );
    expect(audit.map((row) => row.type)).toEqual(['password_reset_requested', 'password_reset']);
  });

  it('links staff to their own app: admins to /admin/, bartenders to /bartender/', async () => {
    const admin = await createUser(app, 'admin');
    const bartender = await createUser(app, 'bartender');
    expect((await askReset(app, admin.email)).status).toBe(202);
    expect((await askReset(app, bartender.email)).status).toBe(202);
    const adminMail = await smtp.waitFor(to(admin.email));
    const bartenderMail = await smtp.waitFor(to(bartender.email));
    linkIn(adminMail, `${PUBLIC_URL}/admin/reset-password?token=`);
    linkIn(bartenderMail, `${PUBLIC_URL}/bartender/reset-password?token=`);
    // Staff rules: 15 characters at least, whatever the app.
    const weak = await confirmReset(
      app,
      tokenOf(linkIn(adminMail, `${PUBLIC_URL}/admin/reset-password`)),
      'short-pass-12',
    );
    expect(weak.status).toBe(400);
    expect(weak.body.details[0].field).toBe('newPassword');
    // A refused password leaves the link usable.
    const ok = await confirmReset(app, tokenOf(linkIn(adminMail, `${PUBLIC_URL}/admin/`)));
    expect(ok.status).toBe(204);
  });

  it('expires a link after 30 minutes', async () => {
    const customer = await registerCustomer(app);
    await askReset(app, customer.email);
    const mail = await smtp.waitFor(to(customer.email));
    const token = tokenOf(linkIn(mail, `${PUBLIC_URL}/reset-password`));
    const [row] = await app.sql<{ minutes: string }>(
      `SELECT extract(epoch FROM expires_at - created_at) / 60 AS minutes
         FROM account_link_tokens WHERE user_id = $1`,
      [customer.id],
    );
    expect(Number(row!.minutes)).toBeCloseTo(30, 1);
    // The database's clock decides expiry (now()), so the test moves the deadline instead of
    // the clock: 31 minutes after issue.
    await app.sql(
      `UPDATE account_link_tokens SET expires_at = now() - interval '1 minute',
              created_at = now() - interval '31 minutes' WHERE user_id = $1`,
      [customer.id],
    );
    const late = await confirmReset(app, token);
    expect(late.status).toBe(400);
    expect(late.body.details[0].field).toBe('token');
    expect((await loginRequest(app, { ...customer, app: 'customer' })).status).toBe(200);
  });

  it('keeps earlier unused links valid when a new one is asked for; a reset voids them all', async () => {
    const customer = await registerCustomer(app);
    await askReset(app, customer.email);
    const firstMail = await smtp.waitFor(to(customer.email));
    await askReset(app, customer.email);
    const secondMail = await smtp.waitFor((m) => m.to.includes(customer.email) && m !== firstMail);
    const earlier = tokenOf(linkIn(firstMail, `${PUBLIC_URL}/reset-password`));
    const later = tokenOf(linkIn(secondMail, `${PUBLIC_URL}/reset-password`));
    // Whichever mail arrives last, the link in the other one works too.
    expect((await confirmReset(app, earlier)).status).toBe(204);
    const voided = await confirmReset(app, later, 'yet-another-password-2028');
    expect(voided.status).toBe(400);
    expect(voided.body.details[0].field).toBe('token');
    expect((await confirmReset(app, earlier, 'yet-another-password-2028')).status).toBe(400);
  });

  it('kills a link when the credentials change: deactivation (even reactivated), role, password', async () => {
    const admin = await createUser(app, 'admin');
    const adminToken = (await loginAs(app, { ...admin, app: 'admin' })).accessToken;
    const patch = (id: string, json: Record<string, unknown>) =>
      request(`${app.url}/api/admin/users/${id}`, {
        method: 'PATCH',
        headers: bearer(adminToken),
        json,
      });
    const linkFor = async (email: string): Promise<string> => {
      const before = smtp.received.filter(to(email)).length;
      expect((await askReset(app, email, ownIp())).status).toBe(202);
      const mail = await smtp.waitFor(
        (m) => m.to.includes(email) && smtp.received.filter(to(email)).indexOf(m) >= before,
      );
      return tokenOf(linkIn(mail, `${PUBLIC_URL}/`));
    };
    const refused = async (token: string) => {
      const answer = await confirmReset(app, token);
      expect(answer.status).toBe(400);
      expect(answer.body.details[0].field).toBe('token');
    };

    // Deactivated, then reactivated: the link stays dead.
    const deactivated = await registerCustomer(app);
    const link1 = await linkFor(deactivated.email);
    expect((await patch(deactivated.id, { active: false })).status).toBe(200);
    expect((await patch(deactivated.id, { active: true })).status).toBe(200);
    await refused(link1);
    expect((await loginRequest(app, { ...deactivated, app: 'customer' })).status).toBe(200);

    // A role change.
    const promoted = await registerCustomer(app);
    const link2 = await linkFor(promoted.email);
    expect((await patch(promoted.id, { role: 'bartender' })).status).toBe(200);
    await refused(link2);

    // The owner changed the password after asking: the link cannot set another one.
    const owner = await registerCustomer(app);
    const link3 = await linkFor(owner.email);
    const session = await loginAs(app, { ...owner, app: 'customer' });
    const changed = await request(`${app.url}/api/auth/change-password`, {
      method: 'POST',
      headers: bearer(session.accessToken),
      json: { currentPassword: owner.password, newPassword: 'owner-chose-this-one-2027' },
    });
    expect(changed.status).toBe(204);
    await refused(link3);
    const fresh = await loginRequest(app, {
      ...owner,
      password: 'owner-chose-this-one-2027',
      app: 'customer',
    });
    expect(fresh.status).toBe(200);

    // A link asked for after the change works.
    expect((await confirmReset(app, await linkFor(promoted.email))).status).toBe(204);
  });

  it('lets one of two concurrent confirmations win', async () => {
    const customer = await registerCustomer(app);
    await askReset(app, customer.email);
    const token = tokenOf(linkIn(await smtp.waitFor(to(customer.email)), `${PUBLIC_URL}/reset`));
    const answers = await Promise.all([
      confirmReset(app, token, 'first-racer-password-2027'),
      confirmReset(app, token, 'second-racer-password-2027'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([204, 400]);
  });

  it('answers an unknown email the same, in the same time, and sends nothing', async () => {
    const known = await registerCustomer(app);
    const unknown = uniqueEmail('nobody');
    const timings: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    for (let round = 0; round < 4; round += 1) {
      for (const [kind, email] of [
        ['known', known.email],
        ['unknown', unknown],
      ] as const) {
        const started = performance.now();
        const answer = await askReset(app, email, { 'x-forwarded-for': `198.51.100.${round}` });
        timings[kind].push(performance.now() - started);
        expect(answer.status).toBe(202);
        expect(answer.text).toBe('');
      }
    }
    await settled();
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    // Same work before the answer whatever the email: no lookup, no hashing, no write.
    expect(Math.abs(median(timings.known) - median(timings.unknown))).toBeLessThan(25);
    expect(smtp.received.filter(to(unknown))).toEqual([]);
    expect(await app.sql(`SELECT id FROM mail_outbox WHERE recipient = $1`, [unknown])).toEqual([]);
    // The known one got its mails (the last link of them works).
    await smtp.waitFor(to(known.email));
  });

  it('sends nothing to a deactivated account, and its old link stops working', async () => {
    const customer = await registerCustomer(app);
    await askReset(app, customer.email);
    const token = tokenOf(linkIn(await smtp.waitFor(to(customer.email)), `${PUBLIC_URL}/reset`));
    // Deactivated by hand (the admin route would also end its sessions: not what is tested).
    await app.sql(`UPDATE users SET active = false WHERE id = $1`, [customer.id]);
    expect((await askReset(app, customer.email)).status).toBe(202);
    await settled();
    const rows = await app.sql(`SELECT id FROM mail_outbox WHERE recipient = $1`, [customer.email]);
    expect(rows).toHaveLength(1);
    const refused = await confirmReset(app, token);
    expect(refused.status).toBe(400);
    expect(refused.body.details[0].field).toBe('token');
  });

  it('limits requests per email (any spelling, known or not) and per IP', async () => {
    const ip = { 'x-forwarded-for': '192.0.2.10' };
    for (const email of [uniqueEmail('limited'), (await registerCustomer(app)).email]) {
      for (let i = 0; i < 5; i += 1) {
        const spelling = i % 2 === 0 ? email : ` ${email.toUpperCase()} `;
        const answer = await askReset(app, spelling, { 'x-forwarded-for': `192.0.2.${20 + i}` });
        expect(answer.status).toBe(202);
      }
      const over = await askReset(app, email, { 'x-forwarded-for': '192.0.2.30' });
      expect(over.status).toBe(429);
      expectErrorBody(over, 429, 'RATE_LIMITED');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(3000);
    }
    for (let i = 0; i < 20; i += 1) {
      expect((await askReset(app, uniqueEmail('ip'), ip)).status).toBe(202);
    }
    const over = await askReset(app, uniqueEmail('ip'), ip);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).not.toBeNull();
    expect(
      (await askReset(app, uniqueEmail('ip'), { 'x-forwarded-for': '192.0.2.11' })).status,
    ).toBe(202);
  });

  it('sends "New sign-in" once per new device or network, never for a known one', async () => {
    const customer = await registerCustomer(app, { name: 'Nia Notice' });
    const newSignIn = (m: ReceivedMail) =>
      m.to.includes(customer.email) && m.subject === 'New sign-in to Taproom';
    const signIn = (userAgent: string, ip: string) =>
      loginAs(app, { ...customer, app: 'customer', userAgent, headers: { 'x-forwarded-for': ip } });

    // The account's first sign-in is only recorded.
    await signIn(LAPTOP, '203.0.113.7');
    // Known device, same /24.
    await signIn(LAPTOP, '203.0.113.99');
    await app.app.get(MailService).deliverDue();
    expect(smtp.received.filter(newSignIn)).toEqual([]);

    // A new device: one notice.
    const phone = await signIn(PHONE, '203.0.113.8');
    const notice = await smtp.waitFor(newSignIn);
    expect(notice.text).toContain('Device: Safari on iOS');
    expect(notice.text).toContain('Approximate address: 203.0.113.x');
    expect(notice.text).toMatch(/Time: \d+ \w+ \d{4},? (at )?\d\d:\d\d \(Europe\/Berlin\)/);
    expect(notice.text).toContain(`${PUBLIC_URL}/forgot-password`);
    const signOutLink = linkIn(notice, `${PUBLIC_URL}/sign-out-everywhere?token=`);

    // The same phone again, and from a new network: only the network is new.
    await signIn(PHONE, '203.0.113.200');
    await signIn(PHONE, '2001:db8:85a3:1::1');
    await smtp.waitFor((m) => newSignIn(m) && m.text.includes('2001:db8:85a3::/48'));
    await signIn(PHONE, '2001:db8:85a3:ffff::2');
    await app.app.get(MailService).deliverDue();
    expect(smtp.received.filter(newSignIn)).toHaveLength(2);

    // Sign out everywhere, once.
    const out = await request(`${app.url}/api/auth/sign-out-everywhere`, {
      method: 'POST',
      json: { token: tokenOf(signOutLink) },
    });
    expect(out.status).toBe(204);
    expectErrorBody(await me(app, phone.accessToken), 401, 'SESSION_REVOKED');
    const live = await app.sql(
      `SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      [customer.id],
    );
    expect(live).toEqual([]);
    const twice = await request(`${app.url}/api/auth/sign-out-everywhere`, {
      method: 'POST',
      json: { token: tokenOf(signOutLink) },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.details[0].field).toBe('token');
    const audit = await app.sql(
      `SELECT details FROM audit_events WHERE user_id = $1 AND type = 'signed_out_everywhere'`,
      [customer.id],
    );
    expect(audit).toHaveLength(1);
  });

  it('notifies the first recorded sign-in of an account unless it was just created', async () => {
    const old = await registerCustomer(app, { name: 'Olga Older' });
    const young = await registerCustomer(app, { name: 'Yann Younger' });
    // An account made two hours ago (or before notices existed) with no device recorded.
    await app.sql(`UPDATE users SET created_at = now() - interval '2 hours' WHERE id = $1`, [
      old.id,
    ]);
    const headers = { 'x-forwarded-for': '198.51.100.40' };
    await loginAs(app, { ...old, app: 'customer', userAgent: LAPTOP, headers });
    await loginAs(app, { ...young, app: 'customer', userAgent: LAPTOP, headers });
    const notice = await smtp.waitFor(
      (m) => m.to.includes(old.email) && m.subject === 'New sign-in to Taproom',
    );
    expect(notice.text).toContain('Approximate address: 198.51.100.x');
    await app.app.get(MailService).deliverDue();
    expect(smtp.received.filter(to(young.email))).toEqual([]);
  });

  it('evicts an intruder on recovery: devices forgotten, API tokens revoked', async () => {
    const admin = await createUser(app, 'admin', { name: 'Ada Owner' });
    const newSignIn = (m: ReceivedMail) =>
      m.to.includes(admin.email) && m.subject === 'New sign-in to Taproom';
    const intruder = { userAgent: PHONE, headers: { 'x-forwarded-for': '198.51.100.7' } };
    // The owner's device first (the account is new: recorded, no notice).
    await loginAs(app, { ...admin, app: 'admin', userAgent: LAPTOP });
    const mintToken = async (): Promise<string> => {
      const signedIn = await loginAs(app, { ...admin, app: 'admin', ...intruder });
      const created = await request(`${app.url}/api/tokens`, {
        method: 'POST',
        headers: bearer(signedIn.accessToken),
        json: { name: `backup ${String(Date.now())}`, scopes: ['users:read'] },
      });
      expect(created.status).toBe(201);
      return created.body.token as string;
    };
    const usersWith = (token: string) =>
      request(`${app.url}/api/admin/users`, { headers: bearer(token) });

    const stolen = await mintToken();
    expect((await usersWith(stolen)).status).toBe(200);
    const notice = await smtp.waitFor(newSignIn);
    const out = await request(`${app.url}/api/auth/sign-out-everywhere`, {
      method: 'POST',
      json: { token: tokenOf(linkIn(notice, `${PUBLIC_URL}/admin/sign-out-everywhere?token=`)) },
    });
    expect(out.status).toBe(204);
    expect((await usersWith(stolen)).status).toBe(401);
    expect(
      await app.sql(`SELECT device FROM known_devices WHERE user_id = $1`, [admin.id]),
    ).toEqual([]);

    // The intruder comes back from the same device and network: reported again.
    const again = await mintToken();
    await eventually(
      () => Promise.resolve(smtp.received.filter(newSignIn).length),
      (count) => count >= 2,
    );
    expect(smtp.received.filter(newSignIn)).toHaveLength(2);

    // The owner resets the password: the token minted in between goes too.
    await askReset(app, admin.email, ownIp());
    const reset = await smtp.waitFor(
      (m) => m.to.includes(admin.email) && m.subject.startsWith('Reset your'),
    );
    expect((await confirmReset(app, tokenOf(linkIn(reset, `${PUBLIC_URL}/admin/`)))).status).toBe(
      204,
    );
    expect((await usersWith(again)).status).toBe(401);
    expect(
      await app.sql(`SELECT device FROM known_devices WHERE user_id = $1`, [admin.id]),
    ).toEqual([]);
    const reasons = await app.sql<{ reason: string }>(
      `SELECT revoked_reason AS reason FROM api_tokens WHERE user_id = $1 ORDER BY created_at`,
      [admin.id],
    );
    expect(reasons).toEqual([
      { reason: 'owner_signed_out_everywhere' },
      { reason: 'owner_password_reset' },
    ]);
    const audited = await app.sql(
      `SELECT id FROM audit_events WHERE user_id = $1 AND type = 'api_token_revoked'`,
      [admin.id],
    );
    expect(audited).toHaveLength(2);
  });

  it('refuses emails that are not one plain address and names on more than one line', async () => {
    const register = (json: Record<string, unknown>) =>
      request(`${app.url}/api/auth/register`, { method: 'POST', json });
    for (const email of [
      '"victim@evil.test,x"@example.com',
      '"x\\"<spy@evil.test>"@example.com',
      '"a;b"@example.com',
      '"a b"@example.com',
    ]) {
      const answer = await register({ email, name: 'Quoted', password: STRONG_PASSWORD });
      expectErrorBody(answer, 400, 'VALIDATION_FAILED');
      expect(answer.body.details).toEqual([
        { field: 'email', errors: [expect.stringContaining('plain address')] },
      ]);
    }
    for (const name of [
      'Eve\r\nBcc: spy@evil.test',
      'Eve\nReset here: https://evil.example',
      'Eve\u2028x',
      'Eve\u0085x',
      'Eve\u0007x',
    ]) {
      const answer = await register({ email: uniqueEmail('eve'), name, password: STRONG_PASSWORD });
      expectErrorBody(answer, 400, 'VALIDATION_FAILED');
      expect(answer.body.details).toEqual([
        { field: 'name', errors: [expect.stringContaining('one line')] },
      ]);
    }
    // Admins creating and renaming people: the same rules.
    const admin = await createUser(app, 'admin');
    const adminToken = (await loginAs(app, { ...admin, app: 'admin' })).accessToken;
    const created = await request(`${app.url}/api/admin/users`, {
      method: 'POST',
      headers: bearer(adminToken),
      json: {
        email: '"a,b"@example.com',
        name: 'Sam',
        role: 'bartender',
        password: STRONG_PASSWORD,
      },
    });
    expectErrorBody(created, 400, 'VALIDATION_FAILED');
    expect(created.body.details[0].field).toBe('email');
    const named = await request(`${app.url}/api/admin/users`, {
      method: 'POST',
      headers: bearer(adminToken),
      json: {
        email: uniqueEmail('sam'),
        name: 'Sam\r\nX',
        role: 'bartender',
        password: STRONG_PASSWORD,
      },
    });
    expectErrorBody(named, 400, 'VALIDATION_FAILED');
    expect(named.body.details[0].field).toBe('name');
    const someone = await registerCustomer(app);
    const renamed = await request(`${app.url}/api/admin/users/${someone.id}`, {
      method: 'PATCH',
      headers: bearer(adminToken),
      json: { name: 'Someone\nElse' },
    });
    expectErrorBody(renamed, 400, 'VALIDATION_FAILED');
    expect(renamed.body.details[0].field).toBe('name');
    const [row] = await app.sql<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [
      someone.id,
    ]);
    expect(row?.name).toBe('Test Customer');
    // Plain addresses with the usual symbols still register.
    expect(
      (await register({ email: uniqueEmail("o'neil+bar"), name: 'Ok', password: STRONG_PASSWORD }))
        .status,
    ).toBe(201);
  });

  it('gives a message up at once when the SMTP server refuses it for good (5xx)', async () => {
    const customer = await registerCustomer(app);
    smtp.refuse(Infinity, 550);
    try {
      await askReset(app, customer.email, ownIp());
      await settled();
      const [state] = await eventually(
        () =>
          app.sql<{ attempts: number; failed: boolean; error: string | null; payload: unknown }>(
            `SELECT attempts, failed_at IS NOT NULL AS failed, last_error AS error, payload
               FROM mail_outbox WHERE recipient = $1`,
            [customer.email],
          ),
        (rows) => rows[0]?.failed === true,
      );
      expect(state).toMatchObject({ attempts: 1, failed: true, payload: {} });
      expect(state?.error).toContain('550');
    } finally {
      smtp.refuse(0);
    }
  });

  it('purges old mail, spent or expired links and devices not seen for 90 days', async () => {
    const customer = await registerCustomer(app);
    await loginAs(app, { ...customer, app: 'customer', userAgent: LAPTOP });
    await loginAs(app, {
      ...customer,
      app: 'customer',
      userAgent: PHONE,
      headers: { 'x-forwarded-for': '192.0.2.99' },
    });
    // The phone's notice, and two reset mails: three mails, three links.
    await askReset(app, customer.email, ownIp());
    await askReset(app, customer.email, ownIp());
    await settled();
    await eventually(
      () =>
        app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM mail_outbox WHERE recipient = $1 AND sent_at IS NOT NULL`,
          [customer.email],
        ),
      (rows) => rows[0]?.n === 3,
    );
    const outbox = await app.sql<{ id: string }>(
      `SELECT id FROM mail_outbox WHERE recipient = $1 ORDER BY created_at, id`,
      [customer.email],
    );
    const links = await app.sql<{ id: string }>(
      `SELECT id FROM account_link_tokens WHERE user_id = $1 ORDER BY created_at, id`,
      [customer.id],
    );
    expect(outbox).toHaveLength(3);
    expect(links).toHaveLength(3);
    // One of each aged past its retention, the other just inside it.
    await app.sql(`UPDATE mail_outbox SET sent_at = now() - interval '31 days' WHERE id = $1`, [
      outbox[0]!.id,
    ]);
    await app.sql(`UPDATE mail_outbox SET sent_at = now() - interval '29 days' WHERE id = $1`, [
      outbox[1]!.id,
    ]);
    // The third: given up 31 days ago.
    await app.sql(
      `UPDATE mail_outbox SET sent_at = NULL, failed_at = now() - interval '31 days' WHERE id = $1`,
      [outbox[2]!.id],
    );
    await app.sql(
      `UPDATE account_link_tokens SET used_at = now() - interval '25 hours' WHERE id = $1`,
      [links[0]!.id],
    );
    await app.sql(
      `UPDATE account_link_tokens SET expires_at = now() - interval '23 hours' WHERE id = $1`,
      [links[1]!.id],
    );
    await app.sql(
      `UPDATE known_devices SET last_seen_at = now() - interval '91 days'
        WHERE user_id = $1 AND network = '192.0.2.x'`,
      [customer.id],
    );
    const purged = await app.app.get(MailRetention).run();
    expect(purged.mails).toBeGreaterThanOrEqual(2);
    expect(
      await app.sql(`SELECT id FROM mail_outbox WHERE recipient = $1`, [customer.email]),
    ).toEqual([{ id: outbox[1]!.id }]);
    // Spent 25 hours ago: gone; expired 23 hours ago, and still valid: kept.
    const kept = await app.sql<{ id: string }>(
      `SELECT id FROM account_link_tokens WHERE user_id = $1`,
      [customer.id],
    );
    expect(kept.map((row) => row.id).sort()).toEqual([links[1]!.id, links[2]!.id].sort());
    const devices = await app.sql<{ network: string }>(
      `SELECT network FROM known_devices WHERE user_id = $1`,
      [customer.id],
    );
    expect(devices.map((d) => d.network)).not.toContain('192.0.2.x');
    expect(devices).toHaveLength(1);
  });

  it('never sends a message of a batch that another instance claimed while the server was slow', async () => {
    const [blocker, first, second] = [
      await registerCustomer(app),
      await registerCustomer(app),
      await registerCustomer(app),
    ];
    const rowOf = async (email: string) =>
      (
        await app.sql<{ attempts: number; claimed: boolean; sent: boolean }>(
          `SELECT attempts, claimed_until IS NOT NULL AS claimed, sent_at IS NOT NULL AS sent
             FROM mail_outbox WHERE recipient = $1`,
          [email],
        )
      )[0];
    // Earlier tests' mail out of the way first: the held messages must be this test's.
    await settled();
    await eventually(
      () =>
        app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL`,
        ),
      (rows) => rows[0]?.n === 0,
    );
    await app.app.get(MailService).settled();
    // A slow server: the job hangs on the blocker's mail while two more are queued...
    const blocking = smtp.hold();
    await askReset(app, blocker.email, ownIp());
    await blocking.reached;
    // One after the other (each is queued after the 202): a batch is sent oldest first.
    await askReset(app, first.email, ownIp());
    await settled();
    await askReset(app, second.email, ownIp());
    await settled();
    // ...then claims both in one batch and hangs on the first of them.
    const slow = smtp.hold();
    blocking.release();
    await smtp.waitFor(to(blocker.email));
    await slow.reached;
    const claimedBoth = await eventually(
      async () => [await rowOf(first.email), await rowOf(second.email)],
      (rows) => rows.every((row) => row?.claimed === true),
    );
    expect(claimedBoth.map((row) => row?.attempts)).toEqual([1, 1]);
    // The batch's lease runs out meanwhile and another instance claims the second message.
    await app.sql(
      `UPDATE mail_outbox SET attempts = attempts + 1, claimed_until = now() + interval '300 seconds'
        WHERE recipient = $1`,
      [second.email],
    );
    slow.release();
    await smtp.waitFor(to(first.email));
    await eventually(
      () => rowOf(first.email),
      (row) => row?.sent === true,
    );
    await app.app.get(MailService).settled();
    // This instance left it to the other one: not sent from here.
    expect(smtp.received.filter(to(second.email))).toEqual([]);
    expect(await rowOf(second.email)).toMatchObject({ attempts: 2, sent: false });
    // Give the other instance's claim back, so nothing of this test lingers.
    await app.sql(`UPDATE mail_outbox SET failed_at = now() WHERE recipient = $1`, [second.email]);
  });

  it('retries after the SMTP server refuses, with backoff, and gives up after max attempts', async () => {
    const customer = await registerCustomer(app);
    smtp.refuse(1);
    await askReset(app, customer.email);
    const mail = await smtp.waitFor(to(customer.email));
    expect(smtp.refusals()).toBeGreaterThanOrEqual(1);
    const [row] = await eventually(
      () =>
        app.sql<{ attempts: number; sent: boolean; payload: unknown }>(
          `SELECT attempts, sent_at IS NOT NULL AS sent, payload FROM mail_outbox
            WHERE recipient = $1`,
          [customer.email],
        ),
      (rows) => rows[0]?.sent === true,
    );
    expect(row).toEqual({ attempts: 2, sent: true, payload: {} });
    expect(mail.messageId).toMatch(/@taproom\.mail>$/);

    const doomed = await registerCustomer(app);
    smtp.refuse(Infinity);
    try {
      await askReset(app, doomed.email);
      await settled();
      const deadline = Date.now() + 15_000;
      let state: { attempts: number; failed: boolean; error: string | null } | undefined;
      while (Date.now() < deadline) {
        [state] = await app.sql(
          `SELECT attempts, failed_at IS NOT NULL AS failed, last_error AS error
             FROM mail_outbox WHERE recipient = $1`,
          [doomed.email],
        );
        if (state?.failed) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(state).toMatchObject({ attempts: 3, failed: true });
      expect(state?.error).toContain('451');
    } finally {
      smtp.refuse(0);
    }
    expect(smtp.received.filter(to(doomed.email))).toEqual([]);
  }, 30_000);
});

describe('mail without SMTP_URL', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('writes .eml files under DATA_DIR/mail outside production and logs subject and link', async () => {
    const logged: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation(function (
      this: Logger,
      message: unknown,
    ) {
      logged.push(String(message));
    });
    const app = await startAppOnNewDatabase({ env: { PUBLIC_URL } });
    try {
      const customer = await registerCustomer(app);
      expect((await askReset(app, customer.email)).status).toBe(202);
      await app.app.get(PasswordResetService).settled();
      const dir = join(app.config.dataDir, 'mail');
      const emls = () =>
        Promise.resolve(
          existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')) : [],
        );
      const files = await eventually(emls, (names) => names.length > 0);
      expect(files).toHaveLength(1);
      const eml = readFileSync(join(dir, files[0]!), 'utf8');
      expect(eml).toContain(`To: ${customer.email}`);
      expect(eml).toContain('Subject: Reset your Taproom password');
      const line = logged.find((entry) => entry.includes('Reset your Taproom password'));
      expect(line).toContain(`${PUBLIC_URL}/reset-password?token=`);
      expect(line).toContain(customer.email);
    } finally {
      await app.close();
    }
  });

  it('answers 503 MAIL_UNAVAILABLE in production', async () => {
    const db: TestDatabase = await createTestDatabase();
    const app = await startTestApp({
      database: db.target,
      env: { NODE_ENV: 'production', DATABASE_URL: db.target.url },
    });
    try {
      const ask = await askReset(app, 'someone@example.com');
      expect(ask.status).toBe(503);
      expectErrorBody(ask, 503, 'MAIL_UNAVAILABLE');
      const confirm = await confirmReset(app, 'x'.repeat(43));
      expectErrorBody(confirm, 503, 'MAIL_UNAVAILABLE');
      // The sign-in itself is unaffected (no notice can go out, so none is queued).
      const admin = await createUser(app, 'admin');
      await loginAs(app, { ...admin, app: 'admin' });
      await loginAs(app, { ...admin, app: 'admin', userAgent: PHONE });
      expect(await app.sql(`SELECT id FROM mail_outbox`)).toEqual([]);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
