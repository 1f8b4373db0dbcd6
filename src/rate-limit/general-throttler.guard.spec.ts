import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { Reflector } from '@nestjs/core';
import type { RateLimitsConfig } from '../config/app-config.js';
import { GeneralThrottlerGuard } from './general-throttler.guard.js';
import { MemoryRateLimitStorage } from './memory-rate-limit-storage.js';
import { generalThrottlers } from './rate-limit.module.js';

const rule = (limit: number) => ({ limit, windowSeconds: 60 });

/** The guard as the module configures it, on a storage in memory. */
async function guardWith(
  user: number,
  anonymous: number,
  token = 0,
): Promise<GeneralThrottlerGuard> {
  const limits = {
    user: rule(user),
    anonymous: rule(anonymous),
    token: rule(token),
  } as RateLimitsConfig;
  const storage = new MemoryRateLimitStorage();
  const guard = new GeneralThrottlerGuard(
    { throttlers: generalThrottlers(limits), storage, setHeaders: false },
    storage,
    new Reflector(),
  );
  await guard.onModuleInit();
  return guard;
}

/** Handlers of three routes, and their controller (throttler looks metadata up on them). */
const ROUTES = { me: () => 'me', menu: () => 'menu', orders: () => 'orders' };
const Controller = Object;

/** A request to some route, from `ip`, signed in as `userId` when given. */
function http(
  ip: string,
  userId?: string,
  route: object = ROUTES.me,
  apiTokenId?: string,
): ExecutionContext {
  const apiToken = apiTokenId === undefined ? undefined : { id: apiTokenId, scopes: [] };
  const request = {
    ip,
    headers: {},
    auth: userId === undefined ? undefined : { userId, apiToken },
  };
  return {
    getType: () => 'http',
    getHandler: () => route,
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

async function outcome(guard: GeneralThrottlerGuard, context: ExecutionContext) {
  try {
    return await guard.canActivate(context);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.RATE_LIMITED) return error;
    throw error;
  }
}

describe('GeneralThrottlerGuard', () => {
  it('counts signed-in callers per user and anonymous ones per IP', async () => {
    const guard = await guardWith(2, 3);
    // One budget across routes.
    expect(await outcome(guard, http('10.0.0.1', 'u1', ROUTES.menu))).toBe(true);
    expect(await outcome(guard, http('10.0.0.1', 'u1', ROUTES.orders))).toBe(true);
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
    const noUserLimit = await guardWith(0, 1);
    for (let index = 0; index < 50; index++) {
      expect(await outcome(noUserLimit, http('10.0.0.1', 'u1'))).toBe(true);
    }
    const noAnonymousLimit = await guardWith(1, 0);
    for (let index = 0; index < 50; index++) {
      expect(await outcome(noAnonymousLimit, http('10.0.0.1'))).toBe(true);
    }
  });

  it("counts each API token on its own budget, not its owner's", async () => {
    const guard = await guardWith(1, 0, 2);
    expect(await outcome(guard, http('10.0.0.1', 'admin', ROUTES.me, 't1'))).toBe(true);
    expect(await outcome(guard, http('10.0.0.1', 'admin', ROUTES.menu, 't1'))).toBe(true);
    const limited = await outcome(guard, http('10.0.0.2', 'admin', ROUTES.orders, 't1'));
    expect(limited).toBeInstanceOf(AppError);
    expect((limited as AppError).headers).toEqual({ 'Retry-After': '60' });
    // Another token of the same admin, and the admin's own session, have budgets of their own.
    expect(await outcome(guard, http('10.0.0.1', 'admin', ROUTES.me, 't2'))).toBe(true);
    expect(await outcome(guard, http('10.0.0.1', 'admin'))).toBe(true);
    expect(await outcome(guard, http('10.0.0.1', 'admin'))).toBeInstanceOf(AppError);
  });
});
