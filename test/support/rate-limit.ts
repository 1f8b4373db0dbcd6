/** Shared by the rate limit tests on one instance (e2e) and across instances on Redis (redis). */
import { expect } from '@jest/globals';
import { type JsonResponse, expectErrorBody } from './http.js';

/** A client behind the trusted proxy (TRUST_PROXY=1), so each test can be its own address. */
export const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

/** Asserts `429 RATE_LIMITED` with a whole `Retry-After` in [minSeconds, maxSeconds]; returns it. */
export function expectRateLimited(
  response: JsonResponse,
  maxSeconds: number,
  minSeconds = 1,
): number {
  expectErrorBody(response, 429, 'RATE_LIMITED');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(minSeconds);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}
