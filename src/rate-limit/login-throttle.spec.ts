import { describe, expect, it } from '@jest/globals';
import type { AuditEntry, AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig, RateLimitsConfig } from '../config/app-config.js';
import { LoginThrottle } from './login-throttle.js';
import { MemoryRateLimitStorage } from './memory-rate-limit-storage.js';

const rule = (limit: number, windowSeconds = 60) => ({ limit, windowSeconds });

function setup(overrides: Partial<RateLimitsConfig> = {}) {
  const rateLimits: RateLimitsConfig = {
    user: rule(0),
    anonymous: rule(0),
    token: rule(0),
    loginFailuresPerEmailAndIp: rule(5),
    loginFailuresPerIp: rule(50),
    loginFailuresPerAccount: rule(100, 3600),
    registrationsPerIp: rule(100, 600),
    guestsPerIp: rule(30, 600),
    passwordResetsPerEmail: rule(5, 3600),
    passwordResetsPerIp: rule(20, 3600),
    ...overrides,
  };
  const audited: AuditEntry[] = [];
  const audit = {
    record: (entry: AuditEntry) => {
      audited.push(entry);
      return Promise.resolve();
    },
  } as unknown as AuditService;
  const storage = new MemoryRateLimitStorage();
  const throttle = new LoginThrottle({ rateLimits } as AppConfig, storage, audit);
  return { throttle, audited, storage };
}

async function failures(throttle: LoginThrottle, n: number, email: string, ip: string) {
  for (let index = 0; index < n; index++) await (await throttle.begin(email, ip)).failed();
}

async function rateLimited(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError) || error.code !== ErrorCode.RATE_LIMITED) {
    throw new Error(`expected RATE_LIMITED, got ${String(error)}`);
  }
  return error;
}

describe('LoginThrottle', () => {
  it('refuses the 6th attempt after 5 failures of one email from one IP, with Retry-After', async () => {
    const { throttle, audited } = setup();
    await failures(throttle, 5, 'Ann@Example.com', '203.0.113.1');
    const error = await rateLimited(throttle.begin(' ann@example.COM ', '203.0.113.1'));
    expect(error.status).toBe(429);
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThanOrEqual(59);
    expect(Number(error.headers?.['Retry-After'])).toBeLessThanOrEqual(60);
    expect(audited).toEqual([
      {
        type: 'login_rate_limited',
        userId: null,
        ip: '203.0.113.1',
        details: {
          email: 'ann@example.com',
          scope: 'email_ip',
          kind: 'login',
          retryAfterSeconds: 60,
        },
      },
    ]);
    // Another address, or another email from this address, is not affected.
    await expect(throttle.begin('ann@example.com', '203.0.113.2')).resolves.toBeDefined();
    await expect(throttle.begin('bob@example.com', '203.0.113.1')).resolves.toBeDefined();
  });

  it('does not count successful sign-ins', async () => {
    const { throttle } = setup({ loginFailuresPerIp: rule(3) });
    for (let index = 0; index < 20; index++) {
      await (await throttle.begin('ann@example.com', '198.51.100.1')).succeeded();
    }
    await failures(throttle, 2, 'ann@example.com', '198.51.100.9');
    for (let index = 0; index < 10; index++) {
      await (await throttle.begin('ann@example.com', '198.51.100.9')).succeeded();
    }
    await expect(throttle.begin('ann@example.com', '198.51.100.9')).resolves.toBeDefined();
  });

  /** `n` sign-ins started at once, each settled as soon as it may go on: how many were checked. */
  async function parallel(
    throttle: LoginThrottle,
    n: number,
    attempt: (index: number) => [email: string, ip: string],
    outcome: 'failed' | 'succeeded',
  ): Promise<{ checked: number; refused: number }> {
    const results = await Promise.allSettled(
      Array.from({ length: n }, async (_, index) => {
        const started = await throttle.begin(...attempt(index));
        await started[outcome]();
      }),
    );
    for (const result of results) {
      if (result.status === 'rejected') await rateLimited(Promise.reject(result.reason as Error));
    }
    const checked = results.filter((result) => result.status === 'fulfilled').length;
    return { checked, refused: n - checked };
  }

  it('checks only as many parallel guesses as the limit allows; their failures refuse the rest', async () => {
    const { throttle } = setup();
    const guesses = await parallel(throttle, 20, () => ['ann@example.com', '192.0.2.1'], 'failed');
    expect(guesses).toEqual({ checked: 5, refused: 15 });
  });

  it('checks only the per-IP limit of parallel guesses, across emails', async () => {
    const { throttle } = setup({ loginFailuresPerIp: rule(50) });
    const guesses = await parallel(
      throttle,
      64,
      (index) => [`u${index}@example.com`, '192.0.2.9'],
      'failed',
    );
    expect(guesses).toEqual({ checked: 50, refused: 14 });
  });

  it('never refuses right passwords for attempts merely in flight: a bar shares one address', async () => {
    const { throttle } = setup({ loginFailuresPerIp: rule(10) });
    const customers = await parallel(
      throttle,
      60,
      (index) => [`guest${index}@example.com`, '192.0.2.10'],
      'succeeded',
    );
    expect(customers).toEqual({ checked: 60, refused: 0 });
    const oneAccount = await parallel(
      throttle,
      12,
      () => ['ann@example.com', '192.0.2.11'],
      'succeeded',
    );
    expect(oneAccount).toEqual({ checked: 12, refused: 0 });
  });

  it('counts on no counter when one refuses (all or nothing)', async () => {
    const { throttle, storage } = setup({ loginFailuresPerEmailAndIp: rule(2) });
    await failures(throttle, 2, 'ann@example.com', '192.0.2.4');
    for (let index = 0; index < 5; index++) {
      await rateLimited(throttle.begin('ann@example.com', '192.0.2.4'));
    }
    // The refused attempts left the IP's counter at the two failures that were checked.
    expect(await storage.failuresWithin('login:ip:192.0.2.4', 60_000)).toBe(2);
  });

  it('keeps nothing for attempts it refuses', async () => {
    const { throttle, storage } = setup({ loginFailuresPerIp: rule(3) });
    for (let index = 0; index < 3; index++) {
      await failures(throttle, 1, `user${index}@example.com`, '192.0.2.8');
    }
    // The first refusal notes its audit entry (once per limited window).
    await rateLimited(throttle.begin('first@example.com', '192.0.2.8'));
    const held = storage.size;
    for (let index = 0; index < 500; index++) {
      await rateLimited(throttle.begin(`other${index}@example.com`, '192.0.2.8'));
    }
    // Refused before any password check: no counter of the 500 new emails was made.
    expect(storage.size).toBe(held);
  });

  it('names the limit that frees up last when several are full', async () => {
    const { throttle, audited } = setup({
      loginFailuresPerEmailAndIp: rule(2),
      loginFailuresPerAccount: rule(2, 3600),
    });
    await failures(throttle, 2, 'ann@example.com', '192.0.2.5');
    const error = await rateLimited(throttle.begin('ann@example.com', '192.0.2.5'));
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThan(3500);
    expect(audited[0]?.details).toMatchObject({ scope: 'account' });
  });

  it('shares the counters of every spelling of one email', async () => {
    const { throttle } = setup({ loginFailuresPerEmailAndIp: rule(3) });
    await failures(throttle, 1, 'Ann@Example.com', '192.0.2.6');
    await failures(throttle, 1, 'ＡＮＮ@example.com', '192.0.2.6');
    await failures(throttle, 1, ' ann@EXAMPLE.com\u3000', '192.0.2.6');
    await rateLimited(throttle.begin('ann@example.com', '192.0.2.6'));
  });

  it('limits one IP across emails', async () => {
    const { throttle, audited } = setup({ loginFailuresPerIp: rule(4) });
    for (let index = 0; index < 4; index++) {
      await failures(throttle, 1, `user${index}@example.com`, '192.0.2.7');
    }
    await rateLimited(throttle.begin('new@example.com', '192.0.2.7'));
    expect(audited[0]?.details).toMatchObject({ scope: 'ip' });
  });

  it('limits one account across addresses and counts change-password failures on it', async () => {
    const { throttle, audited } = setup({ loginFailuresPerAccount: rule(3, 3600) });
    await failures(throttle, 2, 'ann@example.com', '192.0.2.1');
    const attempt = await throttle.begin('ann@example.com', '192.0.2.2', {
      userId: 'u1',
      kind: 'change_password',
    });
    await attempt.failed();
    const error = await rateLimited(
      throttle.begin('ann@example.com', '192.0.2.3', { userId: 'u1', kind: 'change_password' }),
    );
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThan(3500);
    expect(audited[0]).toMatchObject({
      userId: 'u1',
      details: { scope: 'account', kind: 'change_password' },
    });
  });

  it('audits a limited window once, however often it is hit', async () => {
    const { throttle, audited } = setup({ loginFailuresPerEmailAndIp: rule(1) });
    await failures(throttle, 1, 'ann@example.com', '192.0.2.1');
    for (let index = 0; index < 5; index++) {
      await rateLimited(throttle.begin('ann@example.com', '192.0.2.1'));
    }
    expect(audited).toHaveLength(1);
  });

  it('counts IPv6 clients per /64', async () => {
    const { throttle } = setup({ loginFailuresPerEmailAndIp: rule(2) });
    await failures(throttle, 1, 'ann@example.com', '2001:db8:1:2::1');
    await failures(throttle, 1, 'ann@example.com', '2001:db8:1:2::ffff');
    await rateLimited(throttle.begin('ann@example.com', '2001:db8:1:2:abcd::9'));
    await expect(throttle.begin('ann@example.com', '2001:db8:1:3::1')).resolves.toBeDefined();
  });

  it('turns a rule off with a limit of 0', async () => {
    const { throttle } = setup({
      loginFailuresPerEmailAndIp: rule(0),
      loginFailuresPerIp: rule(0),
      loginFailuresPerAccount: rule(0),
    });
    await failures(throttle, 200, 'ann@example.com', '192.0.2.1');
    await expect(throttle.begin('ann@example.com', '192.0.2.1')).resolves.toBeDefined();
  });

  it('limits registrations per IP', async () => {
    const { throttle } = setup({ registrationsPerIp: rule(3, 600) });
    for (let index = 0; index < 3; index++) await throttle.assertRegistrationAllowed('192.0.2.1');
    const error = await rateLimited(throttle.assertRegistrationAllowed('192.0.2.1'));
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThan(590);
    await expect(throttle.assertRegistrationAllowed('192.0.2.2')).resolves.toBeUndefined();
  });
});
