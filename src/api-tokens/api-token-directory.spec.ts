import { describe, expect, it } from '@jest/globals';
import type { Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { ScriptedEventBus } from '../events/scripted-event-bus.js';
import { ApiTokenDirectory } from './api-token-directory.js';
import { hashApiToken, mintApiToken } from './api-token-secret.js';
import type { ApiTokenEntity } from './entities/api-token.entity.js';

/** The one token row, as the database holds it now; counts the reads. */
function fakeTokens(token: string) {
  const state = {
    reads: 0,
    row: {
      id: 'token-1',
      userId: 'admin-1',
      scopes: ['audit:read'],
      expiresAt: null as Date | null,
      revokedAt: null as Date | null,
    },
  };
  const hash = hashApiToken(token);
  const update = { set: () => update, where: () => update, execute: () => Promise.resolve() };
  const repository = {
    findOne: ({ where }: { where: { tokenHash: Buffer } }) => {
      state.reads += 1;
      return Promise.resolve(where.tokenHash.equals(hash) ? { ...state.row } : null);
    },
    createQueryBuilder: () => ({ update: () => update }),
  } as unknown as Repository<ApiTokenEntity>;
  return { state, repository };
}

async function outcome(directory: ApiTokenDirectory, token: string): Promise<string> {
  try {
    const auth = await directory.authenticate(token);
    return `ok ${auth.userId} ${auth.apiToken?.scopes.join(',') ?? ''}`;
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('ApiTokenDirectory', () => {
  it('reads a token once, then answers from memory until its owner changes', async () => {
    const token = mintApiToken();
    const { state, repository } = fakeTokens(token);
    const bus = new ScriptedEventBus();
    const directory = new ApiTokenDirectory(repository, bus);
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    expect(state.reads).toBe(1);
    // Another instance revokes it: the row changes and the owner's event arrives.
    state.row.revokedAt = new Date();
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    await bus.publish({ type: 'user.changed', userId: 'admin-1' });
    expect(await outcome(directory, token)).toBe('TOKEN_INVALID');
    expect(state.reads).toBe(2);
  });

  it('reads the database on every request while the bus is cut off (fails closed)', async () => {
    const token = mintApiToken();
    const { state, repository } = fakeTokens(token);
    const bus = new ScriptedEventBus();
    const directory = new ApiTokenDirectory(repository, bus);
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    bus.setConnected(false);
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    expect(state.reads).toBe(3);
    // Revoked elsewhere, unheard: the next request still sees it.
    state.row.revokedAt = new Date();
    expect(await outcome(directory, token)).toBe('TOKEN_INVALID');
    bus.setConnected(true);
    expect(await outcome(directory, token)).toBe('TOKEN_INVALID');
  });

  it('refuses an expired token, also from memory, and unknown or malformed ones', async () => {
    const token = mintApiToken();
    const { state, repository } = fakeTokens(token);
    const directory = new ApiTokenDirectory(repository, new ScriptedEventBus());
    state.row.expiresAt = new Date(Date.now() + 50);
    expect(await outcome(directory, token)).toBe('ok admin-1 audit:read');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await outcome(directory, token)).toBe('TOKEN_EXPIRED');
    expect(state.reads).toBe(1);
    expect(await outcome(directory, mintApiToken())).toBe('TOKEN_INVALID');
    expect(await outcome(directory, 'tap_nope')).toBe('TOKEN_INVALID');
    expect(state.reads).toBe(2);
  });
});
