import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jwtKeyId } from '../../src/auth/jwt-key.js';
import { type SignedIn, me, signInNew } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function hs(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string,
  algorithm = 'sha256',
): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac(algorithm, secret).update(input).digest('base64url')}`;
}

const without = (claims: Record<string, unknown>, name: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));

describe('auth: access tokens resist forgery', () => {
  let app: TestApp;
  let signedIn: SignedIn;
  let secret: string;
  let kid: string;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
    signedIn = await signInNew(app, 'customer');
    secret = app.config.secrets.jwtSecret;
    kid = jwtKeyId(secret);
    const now = Math.floor(Date.now() / 1000);
    claims = {
      sub: signedIn.user.id,
      sid: signedIn.session.id,
      role: 'customer',
      app: 'customer',
      iat: now,
      exp: now + 300,
      iss: 'taproom',
      aud: 'taproom-api',
    };
  }, 60_000);
  afterAll(() => app.close());

  const good = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    hs({ alg: 'HS256', typ: 'JWT', kid, ...header }, { ...claims, ...overrides }, secret);

  it('accepts a token made the way the server makes them (the control case)', async () => {
    expect((await me(app, good())).status).toBe(200);
    expect((await me(app, signedIn.accessToken)).status).toBe(200);
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg "%s"', async (alg) => {
    const token = `${encode({ alg, typ: 'JWT', kid })}.${encode(claims)}.`;
    expectErrorBody(await me(app, token), 401, 'TOKEN_INVALID');
    expectErrorBody(await me(app, `${token}c2ln`), 401, 'TOKEN_INVALID');
  });

  it('refuses an HS256 token signed with another secret', async () => {
    const token = hs(
      { alg: 'HS256', typ: 'JWT', kid },
      claims,
      'another-secret-of-32-bytes-or-more!!',
    );
    expectErrorBody(await me(app, token), 401, 'TOKEN_INVALID');
  });

  it('refuses another algorithm, even with the right secret', async () => {
    const token = hs({ alg: 'HS512', typ: 'JWT', kid }, claims, secret, 'sha512');
    expectErrorBody(await me(app, token), 401, 'TOKEN_INVALID');
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = signedIn.accessToken.split('.');
    const payload = encode({ ...claims, role: 'admin', app: 'admin' });
    expectErrorBody(await me(app, `${header}.${payload}.${signature}`), 401, 'TOKEN_INVALID');
    const admin = await request(`${app.url}/api/admin/sessions`, {
      headers: { authorization: `Bearer ${header}.${payload}.${signature}` },
    });
    expectErrorBody(admin, 401, 'TOKEN_INVALID');
  });

  it('refuses a wrong issuer or audience', async () => {
    expectErrorBody(await me(app, good({ iss: 'someone-else' })), 401, 'TOKEN_INVALID');
    expectErrorBody(await me(app, good({ aud: 'another-api' })), 401, 'TOKEN_INVALID');
    const withoutIssuer = without(claims, 'iss');
    const noIss = hs({ alg: 'HS256', typ: 'JWT', kid }, withoutIssuer, secret);
    expectErrorBody(await me(app, noIss), 401, 'TOKEN_INVALID');
  });

  it('answers an expired token with TOKEN_EXPIRED', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectErrorBody(await me(app, good({ iat: now - 700, exp: now - 100 })), 401, 'TOKEN_EXPIRED');
  });

  it('refuses a token whose nbf is in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectErrorBody(await me(app, good({ nbf: now + 120 })), 401, 'TOKEN_INVALID');
  });

  it('refuses tokens missing sid or sub, or with claims of the wrong shape', async () => {
    const withoutSid = without(claims, 'sid');
    expectErrorBody(
      await me(app, hs({ alg: 'HS256', typ: 'JWT', kid }, withoutSid, secret)),
      401,
      'TOKEN_INVALID',
    );
    const withoutSub = without(claims, 'sub');
    expectErrorBody(
      await me(app, hs({ alg: 'HS256', typ: 'JWT', kid }, withoutSub, secret)),
      401,
      'TOKEN_INVALID',
    );
    expectErrorBody(await me(app, good({ role: 'owner' })), 401, 'TOKEN_INVALID');
    expectErrorBody(await me(app, good({ app: 'kitchen' })), 401, 'TOKEN_INVALID');
    // A customer may never hold an admin-app token, even one signed with the right key.
    expectErrorBody(await me(app, good({ app: 'admin' })), 401, 'TOKEN_INVALID');
    expectErrorBody(await me(app, good({ exp: undefined })), 401, 'TOKEN_INVALID');
  });

  it.each([
    ['kid', { kid: 'attacker-key' }],
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['jwk', { jwk: { kty: 'oct', k: Buffer.from('attacker').toString('base64url') } }],
  ])('refuses a %s header pointing elsewhere', async (_name, header) => {
    // Signed with the attacker's key as the header suggests…
    const attacker = hs({ alg: 'HS256', typ: 'JWT', kid, ...header }, claims, 'attacker');
    expectErrorBody(await me(app, attacker), 401, 'TOKEN_INVALID');
    // …and even with the real key: the header alone disqualifies it.
    expectErrorBody(await me(app, good({}, header)), 401, 'TOKEN_INVALID');
  });

  it('refuses a token without a kid', async () => {
    const token = hs({ alg: 'HS256', typ: 'JWT' }, claims, secret);
    expectErrorBody(await me(app, token), 401, 'TOKEN_INVALID');
  });

  it('refuses a refresh token used as a bearer token', async () => {
    expectErrorBody(await me(app, signedIn.refreshToken!), 401, 'TOKEN_INVALID');
  });

  it('refuses a 10 kB token with 401, without crashing', async () => {
    const padded = good({ padding: 'x'.repeat(10 * 1024) });
    expect(padded.length).toBeGreaterThan(10 * 1024);
    expectErrorBody(await me(app, padded), 401, 'TOKEN_INVALID');
    expectErrorBody(await me(app, 'a'.repeat(10 * 1024)), 401, 'TOKEN_INVALID');
    expect((await me(app, signedIn.accessToken)).status).toBe(200);
  });

  it('refuses tokens in other places than the Authorization header', async () => {
    const query = await request(`${app.url}/api/auth/me?access_token=${signedIn.accessToken}`);
    expectErrorBody(query, 401, 'TOKEN_INVALID');
  });
});
