import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { AppError } from '../common/errors/app-error.js';
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
    expect(service.acceptsHeader(`${header}.x.y`)).toBe(true);
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
    const token = (header: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify(header)).toString('base64url')}.e30.sig`;
    expect(service.acceptsHeader(token({ alg: 'HS256', kid: service.keyId }))).toBe(true);
    expect(service.acceptsHeader(token({ alg: 'HS256' }))).toBe(false);
    expect(service.acceptsHeader(token({ alg: 'none', kid: service.keyId }))).toBe(false);
    expect(service.acceptsHeader(token({ alg: 'HS512', kid: service.keyId }))).toBe(false);
    for (const pointer of ['jku', 'x5u', 'jwk', 'x5c']) {
      expect(
        service.acceptsHeader(token({ alg: 'HS256', kid: service.keyId, [pointer]: 'x' })),
      ).toBe(false);
    }
    expect(service.acceptsHeader('not a token')).toBe(false);
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

describe("TokenService.authenticate (the guard's check)", () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });
  const codeOf = (header: string | undefined): string | undefined => {
    try {
      service.authenticate(header);
      return undefined;
    } catch (error) {
      return error instanceof AppError ? error.code : 'not an AppError';
    }
  };

  it('takes a bearer token of ours, with the scheme in any case', () => {
    const { token } = service.sign(subject, farFuture);
    expect(service.authenticate(`Bearer ${token}`)).toEqual(subject);
    expect(service.authenticate(`bearer ${token}`)).toEqual(subject);
  });

  it('refuses a missing header, another scheme, extra parts and a tampered signature', () => {
    const { token } = service.sign(subject, farFuture);
    expect(codeOf(undefined)).toBe('TOKEN_INVALID');
    expect(codeOf(`Basic ${token}`)).toBe('TOKEN_INVALID');
    expect(codeOf(`Bearer ${token} extra`)).toBe('TOKEN_INVALID');
    expect(codeOf(token)).toBe('TOKEN_INVALID');
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(codeOf(`Bearer ${tampered}`)).toBe('TOKEN_INVALID');
    // Refused tokens are never remembered as verified.
    expect(codeOf(`Bearer ${tampered}`)).toBe('TOKEN_INVALID');
  });

  it('answers TOKEN_EXPIRED once a token it has verified before expires', () => {
    const now = Date.now();
    const { token, expiresAt } = service.sign(subject, new Date(now + 5_000));
    expect(service.authenticate(`Bearer ${token}`)).toEqual(subject);
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime() - 1);
    expect(service.authenticate(`Bearer ${token}`)).toEqual(subject);
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime());
    expect(codeOf(`Bearer ${token}`)).toBe('TOKEN_EXPIRED');
  });
});

describe('TokenService across a key rotation (JWT_PREVIOUS_SECRETS)', () => {
  const OLD = 'the-secret-before-the-rotation-of-32-bytes';
  const NEW = 'the-secret-after-the-rotation-of-32-bytes!';
  const serviceWith = (env: Record<string, string>): TokenService => {
    const rotated = loadConfig({
      NODE_ENV: 'test',
      REFRESH_TOKEN_KEY: 'unit-test-refresh-key-of-at-least-32-bytes',
      DATA_DIR: '/tmp/taproom-unit-never-written',
      ...env,
    });
    return new TokenService(
      rotated,
      new JwtService({ secret: jwtSecretKey(rotated.secrets.jwtSecret) }),
    );
  };
  const before = serviceWith({ JWT_SECRET: OLD });
  const { token: oldToken } = before.sign(subject, farFuture);

  it('accepts tokens signed with a previous secret, and signs with the new one', () => {
    const after = serviceWith({
      JWT_SECRET: NEW,
      JWT_PREVIOUS_SECRETS: `other-retired-secret-of-32-bytes-long,${OLD}`,
    });
    expect(after.authenticate(`Bearer ${oldToken}`)).toEqual(subject);
    const { token: newToken } = after.sign(subject, farFuture);
    expect(decode(newToken.split('.')[0]!).kid).toBe(jwtKeyId(NEW));
    expect(after.authenticate(`Bearer ${newToken}`)).toEqual(subject);
    // The old instance does not know the new key.
    expect(() => before.authenticate(`Bearer ${newToken}`)).toThrow(AppError);
  });

  it('refuses them once the previous secret is dropped', () => {
    const after = serviceWith({ JWT_SECRET: NEW });
    expect(() => after.authenticate(`Bearer ${oldToken}`)).toThrow(AppError);
  });

  it('refuses a token whose kid names a previous key but whose signature is by another', () => {
    const after = serviceWith({ JWT_SECRET: NEW, JWT_PREVIOUS_SECRETS: OLD });
    const [header, payload] = oldToken.split('.');
    const forged = createHmac('sha256', NEW).update(`${header}.${payload}`).digest('base64url');
    expect(() => after.authenticate(`Bearer ${header}.${payload}.${forged}`)).toThrow(AppError);
  });
});
