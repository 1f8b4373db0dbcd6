import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { AppError } from '../common/errors/app-error.js';
import { loadConfig } from '../config/app-config.js';
import type { RevocationRegistry } from '../sessions/revocation-registry.js';
import type { AuthContext } from './auth-context.js';
import { authenticate as authenticateRequest } from './jwt-auth.guard.js';
import { jwtKeyId, jwtSecretKey } from './jwt-key.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokenService } from './token.service.js';

const SECRET = 'unit-test-jwt-secret-of-at-least-32-bytes';
const subject = {
  userId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  sessionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  role: 'customer' as const,
  app: 'customer' as const,
};
const farFuture = new Date(Date.now() + 86_400_000);

function tokenService(env: Record<string, string> = {}): TokenService {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: SECRET,
    REFRESH_TOKEN_KEY: 'unit-test-refresh-key-of-at-least-32-bytes',
    DATA_DIR: '/tmp/taproom-unit-never-written',
    ...env,
  });
  return new TokenService(
    config,
    new JwtService({ secret: jwtSecretKey(config.secrets.jwtSecret) }),
  );
}

/** The revocations a strategy reads: a set in memory, or (not trustworthy) "the database". */
class Revocations {
  readonly revoked = new Set<string>();
  readonly inDatabase = new Set<string>();
  trustworthy = true;
  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }
  isRevokedInDatabase(sessionId: string): Promise<boolean> {
    return Promise.resolve(this.inDatabase.has(sessionId));
  }
}

function strategyOf(tokens: TokenService, revocations = new Revocations()): JwtStrategy {
  return new JwtStrategy(tokens, revocations as unknown as RevocationRegistry);
}

/**
 * Runs passport as the guard does, with `strategy` named in the options; an answer given at
 * once (or a refusal thrown at once) as a promise.
 */
async function authenticate(
  strategy: JwtStrategy,
  authorization: string | undefined,
): Promise<AuthContext> {
  const request = { headers: authorization === undefined ? {} : { authorization } };
  return authenticateRequest(request, { session: false, strategy });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) =>
      error instanceof AppError ? error.code : `not an AppError: ${String(error)}`,
  );
}

describe('JwtStrategy (passport-jwt), as the guard runs it', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });
  const tokens = tokenService();
  const strategy = strategyOf(tokens);

  it('takes a bearer token of ours, with the scheme in any case', async () => {
    const { token } = tokens.sign(subject, farFuture);
    expect(await authenticate(strategy, `Bearer ${token}`)).toEqual(subject);
    expect(await authenticate(strategy, `bearer ${token}`)).toEqual(subject);
  });

  it('refuses a missing header, another scheme, extra parts and a tampered signature', async () => {
    const { token } = tokens.sign(subject, farFuture);
    expect(await codeOf(authenticate(strategy, undefined))).toBe('TOKEN_INVALID');
    expect(await codeOf(authenticate(strategy, `Basic ${token}`))).toBe('TOKEN_INVALID');
    expect(await codeOf(authenticate(strategy, `Bearer ${token} extra`))).toBe('TOKEN_INVALID');
    expect(await codeOf(authenticate(strategy, token))).toBe('TOKEN_INVALID');
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await codeOf(authenticate(strategy, `Bearer ${tampered}`))).toBe('TOKEN_INVALID');
    // Refused tokens are never remembered as verified.
    expect(await codeOf(authenticate(strategy, `Bearer ${tampered}`))).toBe('TOKEN_INVALID');
  });

  it('refuses headers that name another key or algorithm, or point elsewhere', async () => {
    const [, payload, signature] = tokens.sign(subject, farFuture).token.split('.');
    const withHeader = (header: Record<string, unknown>) =>
      `Bearer ${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
    for (const header of [
      { alg: 'HS256' },
      { alg: 'none', kid: tokens.keyId },
      { alg: 'HS512', kid: tokens.keyId },
      { alg: 'HS256', kid: tokens.keyId, jku: 'https://evil.example/keys' },
    ]) {
      expect(await codeOf(authenticate(strategy, withHeader(header)))).toBe('TOKEN_INVALID');
    }
  });

  it('answers TOKEN_EXPIRED once a token it has verified before expires', async () => {
    const now = Date.now();
    const { token, expiresAt } = tokens.sign(subject, new Date(now + 5_000));
    expect(await authenticate(strategy, `Bearer ${token}`)).toEqual(subject);
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime() - 1);
    expect(await authenticate(strategy, `Bearer ${token}`)).toEqual(subject);
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime());
    expect(await codeOf(authenticate(strategy, `Bearer ${token}`))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a revoked session, also for a token it verified before, and asks the database while the set is incomplete', async () => {
    const revocations = new Revocations();
    const own = strategyOf(tokens, revocations);
    const { token } = tokens.sign(subject, farFuture);
    expect(await authenticate(own, `Bearer ${token}`)).toEqual(subject);
    revocations.revoked.add(subject.sessionId);
    expect(await codeOf(authenticate(own, `Bearer ${token}`))).toBe('SESSION_REVOKED');
    // Cut off from the bus: the in-memory set may miss revocations, the database does not.
    revocations.trustworthy = false;
    expect(await authenticate(own, `Bearer ${token}`)).toEqual(subject);
    revocations.inDatabase.add(subject.sessionId);
    expect(await codeOf(authenticate(own, `Bearer ${token}`))).toBe('SESSION_REVOKED');
  });

  it('answers at once for a token verified before while revocations are in memory, else through a promise', async () => {
    // Its own service: no token of it is remembered yet.
    const fresh = tokenService();
    const revocations = new Revocations();
    const own = strategyOf(fresh, revocations);
    const { token } = fresh.sign(subject, farFuture);
    const request = { headers: { authorization: `Bearer ${token}` } };
    const options = { session: false as const, strategy: own };
    // First seen: the signature is checked, and @nestjs/passport's validate step is async.
    const first = authenticateRequest(request, options);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual(subject);
    // Remembered, revocations in memory: no promise.
    expect(authenticateRequest(request, options)).toEqual(subject);
    revocations.trustworthy = false;
    const fromDatabase = authenticateRequest(request, options);
    expect(fromDatabase).toBeInstanceOf(Promise);
    expect(await fromDatabase).toEqual(subject);
  });

  it('answers a token it verified before without passport (as the guard asks first), with the same checks', async () => {
    const fresh = tokenService();
    const revocations = new Revocations();
    const own = strategyOf(fresh, revocations);
    const now = Date.now();
    const { token, expiresAt } = fresh.sign(subject, new Date(now + 5_000));
    const request = { headers: { authorization: `Bearer ${token}` } };
    // Not verified yet, or not a bearer token: passport's turn.
    expect(own.recalled(request)).toBeUndefined();
    expect(own.recalled({ headers: { authorization: `Basic ${token}` } })).toBeUndefined();
    expect(await authenticate(own, `Bearer ${token}`)).toEqual(subject);
    expect(own.recalled(request)).toEqual(subject);
    // Revocation is checked every time: from memory, else from the database.
    revocations.revoked.add(subject.sessionId);
    expect(() => own.recalled(request)).toThrow(AppError);
    revocations.revoked.clear();
    revocations.trustworthy = false;
    await expect(own.recalled(request)).resolves.toEqual(subject);
    revocations.inDatabase.add(subject.sessionId);
    expect(await codeOf(Promise.resolve(own.recalled(request)))).toBe('SESSION_REVOKED');
    // Expired: not remembered any more, and passport refuses it.
    revocations.trustworthy = true;
    revocations.inDatabase.clear();
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime());
    expect(own.recalled(request)).toBeUndefined();
    expect(await codeOf(authenticate(own, `Bearer ${token}`))).toBe('TOKEN_EXPIRED');
  });

  it('runs the strategy the guard names, not the one registered last in the process', async () => {
    const first = new Revocations();
    const own = strategyOf(tokens, first);
    // A second app in this process registers its strategy under 'jwt' after the first.
    strategyOf(tokens);
    first.revoked.add(subject.sessionId);
    const { token } = tokens.sign(subject, farFuture);
    expect(await codeOf(authenticate(own, `Bearer ${token}`))).toBe('SESSION_REVOKED');
  });
});

describe('JwtStrategy across a key rotation (JWT_PREVIOUS_SECRETS)', () => {
  const OLD = 'the-secret-before-the-rotation-of-32-bytes';
  const NEW = 'the-secret-after-the-rotation-of-32-bytes!';
  const before = tokenService({ JWT_SECRET: OLD });
  const { token: oldToken } = before.sign(subject, farFuture);

  it('accepts tokens signed with a previous secret, and signs with the new one', async () => {
    const after = tokenService({
      JWT_SECRET: NEW,
      JWT_PREVIOUS_SECRETS: `other-retired-secret-of-32-bytes-long,${OLD}`,
    });
    expect(await authenticate(strategyOf(after), `Bearer ${oldToken}`)).toEqual(subject);
    const { token: newToken } = after.sign(subject, farFuture);
    const header = JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()) as {
      kid: string;
    };
    expect(header.kid).toBe(jwtKeyId(NEW));
    expect(await authenticate(strategyOf(after), `Bearer ${newToken}`)).toEqual(subject);
    // The old instance does not know the new key.
    expect(await codeOf(authenticate(strategyOf(before), `Bearer ${newToken}`))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('refuses them once the previous secret is dropped', async () => {
    const after = tokenService({ JWT_SECRET: NEW });
    expect(await codeOf(authenticate(strategyOf(after), `Bearer ${oldToken}`))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('refuses a token whose kid names a previous key but whose signature is by another', async () => {
    const after = tokenService({ JWT_SECRET: NEW, JWT_PREVIOUS_SECRETS: OLD });
    const [header, payload] = oldToken.split('.');
    const forged = createHmac('sha256', NEW).update(`${header}.${payload}`).digest('base64url');
    expect(
      await codeOf(authenticate(strategyOf(after), `Bearer ${header}.${payload}.${forged}`)),
    ).toBe('TOKEN_INVALID');
  });
});
