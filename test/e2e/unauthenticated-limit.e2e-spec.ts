import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ApiTokenEntity } from '../../src/api-tokens/entities/api-token.entity.js';
import { bearer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const ANON_LIMIT = 5;

/**
 * A request whose token is refused is an anonymous request: the contract's per-IP limit applies
 * to it. Without that, anyone could send unlimited guesses, and each unknown `tap_` token costs
 * the server a database lookup.
 */
describe('requests with a refused token count against the anonymous limit', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { RATE_LIMIT_ANON_PER_MINUTE: String(ANON_LIMIT) },
    });
  }, 60_000);
  afterAll(() => app.close());

  const guarded = (token: string) =>
    request(`${app.url}/api/admin/audit`, { headers: bearer(token) });

  it('answers 429 RATE_LIMITED past the limit, and stops looking unknown tap_ tokens up', async () => {
    const repository = app.app.get<Repository<ApiTokenEntity>>(getRepositoryToken(ApiTokenEntity));
    const findOne = repository.findOne.bind(repository);
    let lookups = 0;
    repository.findOne = (...args) => {
      lookups += 1;
      return findOne(...args);
    };
    const statuses: number[] = [];
    for (let index = 0; index < ANON_LIMIT * 3; index++) {
      const guess = `tap_${randomBytes(32).toString('base64url')}`;
      statuses.push((await guarded(guess)).status);
    }
    expect(statuses.slice(0, ANON_LIMIT)).toEqual(Array<number>(ANON_LIMIT).fill(401));
    expect(statuses.slice(ANON_LIMIT)).toEqual(Array<number>(ANON_LIMIT * 2).fill(429));
    expect(lookups).toBe(ANON_LIMIT);

    const limited = await guarded(`tap_${randomBytes(32).toString('base64url')}`);
    expectErrorBody(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A forged JWT from the same address is limited alike.
    expectErrorBody(
      await guarded('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'),
      429,
      'RATE_LIMITED',
    );
    // It is one budget with the address's anonymous requests: the guesses spent it.
    expectErrorBody(await request(`${app.url}/api/menu`), 429, 'RATE_LIMITED');
  });
});
