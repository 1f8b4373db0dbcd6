import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../config/app-config.js';
import { jwtKeyId, jwtSecretKey } from './jwt-key.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService } from './token.service.js';

const SECRET = 'unit-test-jwt-secret-of-at-least-32-bytes';
const config = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: SECRET,
  REFRESH_TOKEN_KEY: 'unit-test-refresh-key-of-at-least-32-bytes',
  DATA_DIR: '/tmp/taproom-unit-never-written',
});
const service = new TokenService(config, new JwtService({ secret: jwtSecretKey(SECRET) }));
const subject = {
  userId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  sessionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  role: 'customer' as const,
  app: 'customer' as const,
};
const farFuture = new Date(Date.now() + 86_400_000);

const decode = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

describe('TokenService', () => {
  it('signs HS256 with kid, issuer, audience and the contract claims', () => {
    const { token, expiresAt } = service.sign(subject, farFuture);
    const [header, payload] = token.split('.');
    expect(decode(header!)).toEqual({ alg: 'HS256', typ: 'JWT', kid: jwtKeyId(SECRET) });
    const claims = decode(payload!);
    expect(claims).toMatchObject({
      sub: subject.userId,
      sid: subject.sessionId,
      role: 'customer',
      app: 'customer',
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(config.accessTokenTtlSeconds);
    expect(expiresAt.getTime()).toBe((claims.exp as number) * 1000);
  });

  it('does not let a token outlive its session', () => {
    const sessionEnd = new Date(Date.now() + 30_000);
    const { expiresAt } = service.sign(subject, sessionEnd);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(sessionEnd.getTime());
  });

  it('recognises its own header without parsing it', () => {
    const [header] = service.sign(subject, farFuture).token.split('.');
    expect(service.keyFor(`${header}.x.y`)).toBe(service.key);
  });

  it('verifies its own tokens back to the auth context', () => {
    expect(service.verify(service.sign(subject, farFuture).token)).toEqual(subject);
  });

  it('keeps the key id stable for a secret and different across secrets, without revealing it', () => {
    expect(jwtKeyId(SECRET)).toBe(service.keyId);
    expect(jwtKeyId(`${SECRET}-rotated`)).not.toBe(service.keyId);
    expect(service.keyId).not.toContain(SECRET.slice(0, 8));
  });

  it('refuses expired tokens unless asked to ignore expiry (logout)', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(
      JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: service.keyId }),
    ).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: subject.userId,
        sid: subject.sessionId,
        role: 'customer',
        app: 'customer',
        iat: now - 1000,
        exp: now - 10,
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
      }),
    ).toString('base64url');
    const signature = createHmac('sha256', SECRET)
      .update(`${header}.${payload}`)
      .digest('base64url');
    const expired = `${header}.${payload}.${signature}`;
    expect(service.verify(expired)).toBeUndefined();
    expect(service.verify(expired, { ignoreExpiration: true })).toEqual(subject);
  });

  it('accepts only headers that name our key and algorithm, and nothing pointing elsewhere', () => {
    const accepts = (token: string): boolean => service.keyFor(token) !== undefined;
    const token = (header: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify(header)).toString('base64url')}.e30.sig`;
    expect(accepts(token({ alg: 'HS256', kid: service.keyId }))).toBe(true);
    expect(accepts(token({ alg: 'HS256' }))).toBe(false);
    expect(accepts(token({ alg: 'none', kid: service.keyId }))).toBe(false);
    expect(accepts(token({ alg: 'HS512', kid: service.keyId }))).toBe(false);
    for (const pointer of ['jku', 'x5u', 'jwk', 'x5c']) {
      expect(accepts(token({ alg: 'HS256', kid: service.keyId, [pointer]: 'x' }))).toBe(false);
    }
    expect(accepts('not a token')).toBe(false);
  });

  it('rejects claims of the wrong shape or an app the role may not use', () => {
    const base = {
      sub: subject.userId,
      sid: subject.sessionId,
      role: 'admin',
      app: 'bartender',
      iat: 1,
      exp: 2,
    };
    expect(service.contextOf(base)).toEqual({
      userId: subject.userId,
      sessionId: subject.sessionId,
      role: 'admin',
      app: 'bartender',
    });
    expect(service.contextOf({ ...base, role: 'bartender', app: 'admin' })).toBeUndefined();
    expect(service.contextOf({ ...base, sid: 'not-a-uuid' })).toBeUndefined();
    expect(service.contextOf({ ...base, sub: 42 })).toBeUndefined();
    expect(service.contextOf(null)).toBeUndefined();
    expect(service.contextOf('string')).toBeUndefined();
  });
});
