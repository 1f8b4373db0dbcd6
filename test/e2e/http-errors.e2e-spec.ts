import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectErrorBody, request } from '../support/http.js';
import { ProbeModule } from '../support/probe.module.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

describe('errors in the contract format', () => {
  let app: TestApp;
  const validBody = { email: 'a@b.co', name: 'Ann', lines: [{ quantity: 2 }] };

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ imports: [ProbeModule] });
  });
  afterAll(() => app.close());

  const usersCount = async (): Promise<number> =>
    Number((await app.sql<{ n: string }>('SELECT count(*) AS n FROM users'))[0]?.n);

  it('accepts a valid JSON body', async () => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      json: validBody,
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual(validBody);
  });

  it('answers an unknown API route with 404 NOT_FOUND, for any method', async () => {
    for (const method of ['GET', 'POST', 'DELETE', 'PATCH']) {
      const response = await request(`${app.url}/api/does-not-exist`, { method });
      expectErrorBody(response, 404, 'NOT_FOUND');
    }
  });

  it('lists every invalid field in details, nested ones with their path', async () => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      json: { email: 'not-an-email', name: 'A', lines: [{ quantity: 0 }, { quantity: 1.5 }] },
    });
    const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    const fields = (body.details as { field: string; errors: string[] }[]).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['email', 'name', 'lines.0.quantity', 'lines.1.quantity']),
    );
  });

  it('rejects unknown body properties', async () => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      json: { ...validBody, role: 'admin' },
    });
    const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(body.details)).toContain('role');
  });

  it('answers malformed JSON with 400', async () => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "a@b.co",',
    });
    expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(response.body.message).toMatch(/JSON/);
  });

  it('refuses prototype pollution in JSON bodies', async () => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__": {"admin": true}, "email": "a@b.co", "name": "Ann", "lines": []}',
    });
    expectErrorBody(response, 400, 'VALIDATION_FAILED');
  });

  it.each([
    ['text/plain', 'email=a@b.co'],
    ['application/x-www-form-urlencoded', 'email=a%40b.co&name=Ann'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
    ],
    ['application/xml', '<a/>'],
  ])('answers a %s body with 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, payload) => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: payload,
    });
    expectErrorBody(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over 100 kB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await request(`${app.url}/api/probe/echo`, {
      method: 'POST',
      json: { ...validBody, name: 'x'.repeat(101 * 1024) },
    });
    expectErrorBody(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unexpected error with 500 INTERNAL and nothing about the cause', async () => {
    const response = await request(`${app.url}/api/probe/crash`);
    expectErrorBody(response, 500, 'INTERNAL');
    expect(response.text).not.toMatch(/secret|hunter2|Error|at /);
  });

  it('never leaks database or ORM messages', async () => {
    const response = await request(`${app.url}/api/probe/bad-sql`);
    expectErrorBody(response, 500, 'INTERNAL');
    expect(response.text).not.toMatch(/table_that_does_not_exist|relation|QueryFailed|SELECT/i);
  });

  it('maps a unique violation on the users email to 409 EMAIL_TAKEN, whatever the case', async () => {
    const first = await request(`${app.url}/api/probe/users`, {
      method: 'POST',
      json: { email: 'Taken@Example.com' },
    });
    expect(first.status).toBe(201);
    const before = await usersCount();
    const second = await request(`${app.url}/api/probe/users`, {
      method: 'POST',
      json: { email: '  taken@example.COM ' },
    });
    expectErrorBody(second, 409, 'EMAIL_TAKEN');
    expect(await usersCount()).toBe(before);
  });

  it('keeps an unmapped constraint violation a plain 500 without the constraint text', async () => {
    const response = await request(`${app.url}/api/probe/duplicate`);
    expectErrorBody(response, 500, 'INTERNAL');
    expect(response.text).not.toMatch(/uq_users_email|duplicate key/);
  });

  it('gives every response a request id, and keeps a well-formed one from the proxy', async () => {
    const generated = await request(`${app.url}/api/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const forwarded = await request(`${app.url}/api/health`, {
      headers: { 'x-request-id': 'nginx-req-12345678' },
    });
    expect(forwarded.headers.get('x-request-id')).toBe('nginx-req-12345678');
    const hostile = await request(`${app.url}/api/health`, {
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
