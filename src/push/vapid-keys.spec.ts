import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { SessionEndHooks } from '../sessions/session-end-hooks.js';
import type { PushSubscriptionsRepository } from './push-subscriptions.repository.js';
import { PushService } from './push.service.js';
import { resolveVapidKeys } from './vapid-keys.js';

const SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  REFRESH_TOKEN_KEY: 'test-refresh-key-0123456789abcdef012345678',
};

describe('VAPID keys', () => {
  it('are generated once per data directory outside production, readable only by the owner', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taproom-vapid-'));
    const config = loadConfig({ ...SECRETS, DATA_DIR: dataDir });
    const first = resolveVapidKeys(config.push, dataDir);
    expect(first?.publicKey).toMatch(/^[\w-]{87}$/);
    expect(first?.privateKey).toMatch(/^[\w-]{43}$/);
    expect(statSync(join(dataDir, 'vapid.json')).mode & 0o777).toBe(0o600);
    expect(resolveVapidKeys(config.push, dataDir)).toEqual(first);
  });

  it('are never generated in production or for several instances (REDIS_URL): push is off', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taproom-vapid-'));
    const production = loadConfig({
      ...SECRETS,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/taproom',
      DATA_DIR: dataDir,
    });
    expect(resolveVapidKeys(production.push, dataDir)).toBeUndefined();
    const redis = loadConfig({ ...SECRETS, REDIS_URL: 'redis://cache', DATA_DIR: dataDir });
    expect(resolveVapidKeys(redis.push, dataDir)).toBeUndefined();
  });

  it('must be configured as a pair', () => {
    expect(() => loadConfig({ ...SECRETS, VAPID_PUBLIC_KEY: 'B'.repeat(87) })).toThrow(ConfigError);
  });

  it('without them, GET /api/push/key answers 503 SERVICE_UNAVAILABLE', () => {
    const config = loadConfig({
      ...SECRETS,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
    });
    const service = new PushService(
      config,
      null,
      {} as PushSubscriptionsRepository,
      new SessionEndHooks(),
    );
    let thrown: unknown;
    try {
      service.publicKey();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });
});
