import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import { type JsonResponse, expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

/** Sends raw bytes and returns everything the server wrote before it closed the connection. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(received);
    });
  });
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// Found by the OpenAPI fuzzer (test/fuzz): each of these answered 500 or a non-contract body.
describe('malformed input gets a contract error, never a 500', () => {
  let app: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
    admin = await signInNew(app, 'admin');
  });
  afterAll(() => app.close());

  const usersCount = async (): Promise<number> =>
    Number((await app.sql<{ n: string }>('SELECT count(*) AS n FROM users'))[0]?.n);

  it('refuses a JSON body nested thousands of levels deep with 400 and creates nothing', async () => {
    const before = await usersCount();
    for (const body of [nested(5_000), '['.repeat(5_000) + ']'.repeat(5_000)]) {
      const response = await request(`${app.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expectErrorBody(response, 400, 'VALIDATION_FAILED');
    }
    expect(await usersCount()).toBe(before);
  });

  it('still accepts ordinary nesting (an order body is three levels deep)', async () => {
    const response = await request(`${app.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: nested(20),
    });
    const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(body.message).not.toMatch(/nested/);
  });

  it.each<[string, (app: TestApp) => Promise<JsonResponse>]>([
    [
      'a register name',
      (target) =>
        request(`${target.url}/api/auth/register`, {
          method: 'POST',
          json: {
            email: 'nul@example.com',
            password: 'a-very-long-password-xyz',
            name: 'A\u0000B',
          },
        }),
    ],
    [
      'a login email',
      (target) =>
        request(`${target.url}/api/auth/login`, {
          method: 'POST',
          json: { email: 'nul\u0000@example.com', password: 'whatever-it-is', app: 'customer' },
        }),
    ],
    [
      'a body property name',
      (target) =>
        request(`${target.url}/api/auth/register`, {
          method: 'POST',
          json: { email: 'a@example.com', password: 'a-very-long-password-xyz', 'n\u0000': 'x' },
        }),
    ],
  ])('refuses a NUL character in %s with 400 and creates nothing', async (_what, send) => {
    const before = await usersCount();
    const body = expectErrorBody(await send(app), 400, 'VALIDATION_FAILED');
    expect(body.message).toMatch(/NUL/);
    expect(await usersCount()).toBe(before);
  });

  it('refuses a NUL character in a query parameter with 400', async () => {
    const response = await request(`${app.url}/api/admin/users?q=%00`, {
      headers: bearer(admin.accessToken),
    });
    expectErrorBody(response, 400, 'VALIDATION_FAILED');
  });

  it('answers a path with broken percent-encoding in the contract format', async () => {
    for (const path of ['/api/orders/%zz', '/api/orders/%E0%A4%A']) {
      const response = await request(`${app.url}${path}`, { headers: bearer(admin.accessToken) });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(Object.keys(body).sort()).toEqual(['code', 'message', 'statusCode']);
      expect(response.text).not.toMatch(/FST_|%zz|%E0/);
    }
  });

  it('answers headers over the size limit in the contract format', async () => {
    const response = await request(`${app.url}/api/auth/me`, {
      headers: bearer('a'.repeat(20_000)),
    });
    expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers bytes that are not HTTP in the contract format, then closes', async () => {
    for (const bytes of [
      'GARBAGE\r\n\r\n',
      'GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n',
    ]) {
      const answer = await rawExchange(app.url, bytes);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(body)).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
      });
    }
  });
});
