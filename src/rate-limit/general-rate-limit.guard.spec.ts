import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig, RateLimitsConfig } from '../config/app-config.js';
import { GeneralRateLimitGuard } from './general-rate-limit.guard.js';
import { MemoryRateLimitStorage } from './memory-rate-limit-storage.js';

const rule = (limit: number) => ({ limit, windowSeconds: 60 });

function guardWith(user: number, anonymous: number) {
  const rateLimits = {
    user: rule(user),
    anonymous: rule(anonymous),
  } as RateLimitsConfig;
  return new GeneralRateLimitGuard({ rateLimits } as AppConfig, new MemoryRateLimitStorage());
}

function http(ip: string, userId?: string): ExecutionContext {
  const request = { ip, auth: userId === undefined ? undefined : { userId } };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function outcome(guard: GeneralRateLimitGuard, context: ExecutionContext) {
  try {
    return await guard.canActivate(context);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.RATE_LIMITED) return error;
    throw error;
  }
}

describe('GeneralRateLimitGuard', () => {
  it('counts signed-in callers per user and anonymous ones per IP', async () => {
    const guard = guardWith(2, 3);
    for (let index = 0; index < 2; index++)
      expect(await outcome(guard, http('10.0.0.1', 'u1'))).toBe(true);
    // The same user from another address shares the budget.
    const limited = await outcome(guard, http('10.0.0.2', 'u1'));
    expect(limited).toBeInstanceOf(AppError);
    expect((limited as AppError).headers).toEqual({ 'Retry-After': '60' });
    expect(await outcome(guard, http('10.0.0.1', 'u2'))).toBe(true);
    for (let index = 0; index < 3; index++)
      expect(await outcome(guard, http('10.0.0.1'))).toBe(true);
    expect(await outcome(guard, http('10.0.0.1'))).toBeInstanceOf(AppError);
    expect(await outcome(guard, http('10.0.0.3'))).toBe(true);
  });

  it('turns each limit off with 0', async () => {
    const noUserLimit = guardWith(0, 1);
    for (let index = 0; index < 50; index++) {
      expect(await outcome(noUserLimit, http('10.0.0.1', 'u1'))).toBe(true);
    }
    const noAnonymousLimit = guardWith(1, 0);
    for (let index = 0; index < 50; index++) {
      expect(await outcome(noAnonymousLimit, http('10.0.0.1'))).toBe(true);
    }
  });
});
