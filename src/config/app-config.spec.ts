import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

const secret = 'x'.repeat(32);
const other = 'y'.repeat(32);
const dataDir = (): string => mkdtempSync(join(tmpdir(), 'taproom-config-'));

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      accessTokenTtlSeconds: 600,
      cookieSecure: true,
      corsOrigins: [],
      trustProxy: false,
      seedDemo: true,
    });
    expect(config.database.url).toBeUndefined();
  });

  it('generates the local secrets once and keeps them under DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.secrets.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.secrets.jwtSecret).not.toBe(first.secrets.refreshTokenKey);
    expect(second.secrets).toEqual(first.secrets);
    const file = join(dir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      jwtSecret: first.secrets.jwtSecret,
      refreshTokenKey: first.secrets.refreshTokenKey,
    });
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be a port number/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV /],
    [{ ACCESS_TOKEN_TTL: '10 minutes' }, /^ACCESS_TOKEN_TTL must be a positive number of seconds/],
    [{ COOKIE_SECURE: 'yes' }, /^COOKIE_SECURE must be true or false/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET must be at least 32 bytes long$/],
    [
      { JWT_PREVIOUS_SECRETS: `${'p'.repeat(32)},short` },
      /^JWT_PREVIOUS_SECRETS must be at least 32 bytes long$/,
    ],
    [
      { CORS_ORIGINS: 'https://ok.example, https://bad.example/path' },
      /^CORS_ORIGINS "https:\/\/bad.example\/path" is not an origin/,
    ],
    [
      { TRUST_PROXY: 'true' },
      /^TRUST_PROXY must be a hop count .* trusting every address is not allowed/,
    ],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
    // "Keep forever" spelled as a huge number: a cutoff outside PostgreSQL's dates.
    [{ AUDIT_RETENTION: '100000000d' }, /^AUDIT_RETENTION must be at most 36500d/],
    [{ SESSION_RETENTION: '99999999999' }, /^SESSION_RETENTION must be at most 36500d/],
    // Every entry older than a second, deleted every hour: not a retention.
    [{ AUDIT_RETENTION: '1s' }, /^AUDIT_RETENTION must be at least a day/],
  ])('names the variable and the problem for %p', (env, expected) => {
    expect(errorOf(env)).toMatch(expected);
  });

  it('never echoes secret values in its message', () => {
    expect(errorOf({ JWT_SECRET: 'hunter2-short' })).not.toContain('hunter2');
    expect(errorOf({ DATABASE_URL: 'mysql://user:pw@host/db' })).not.toContain('pw@host');
  });

  it('lists several problems on one line', () => {
    const message = errorOf({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(message).toMatch(/PORT .*; LOG_LEVEL /);
    expect(message).not.toContain('\n');
  });

  it('requires DATABASE_URL and both secrets in production', () => {
    expect(errorOf({ NODE_ENV: 'production' })).toBe(
      'DATABASE_URL is required when NODE_ENV=production; JWT_SECRET is required when NODE_ENV=production; REFRESH_TOKEN_KEY is required when NODE_ENV=production',
    );
  });

  it('requires PUBLIC_URL in production when mail goes out (SMTP_URL)', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/taproom',
      JWT_SECRET: secret,
      REFRESH_TOKEN_KEY: other,
    };
    expect(errorOf({ ...production, SMTP_URL: 'smtp://mail:25' })).toBe(
      'PUBLIC_URL is required when NODE_ENV=production and SMTP_URL is set (mailed links point to it)',
    );
    const config = loadConfig({
      ...production,
      DATA_DIR: dataDir(),
      SMTP_URL: 'smtp://mail:25',
      PUBLIC_URL: 'https://bar.example',
    });
    expect(config.publicUrl).toBe('https://bar.example');
    // Without SMTP_URL no mail goes out, so nothing links anywhere.
    expect(loadConfig({ ...production, DATA_DIR: dataDir() }).mail.smtpUrl).toBeUndefined();
  });

  it('requires shared secrets when REDIS_URL says there are several instances', () => {
    expect(errorOf({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBe(
      'JWT_SECRET is required with REDIS_URL (every instance must share it); REFRESH_TOKEN_KEY is required with REDIS_URL (every instance must share it)',
    );
  });

  it('refuses the same value for both secrets', () => {
    expect(errorOf({ JWT_SECRET: secret, REFRESH_TOKEN_KEY: secret })).toMatch(/must differ/);
  });

  it('never seeds demo data in production, whatever SEED_DEMO says', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/taproom',
      JWT_SECRET: secret,
      REFRESH_TOKEN_KEY: other,
      SEED_DEMO: 'true',
    });
    expect(config.seedDemo).toBe(false);
  });

  it('seeds demo data on PostgreSQL only when SEED_DEMO=true', () => {
    const base = { DATA_DIR: dataDir(), DATABASE_URL: 'postgres://db/taproom' };
    expect(loadConfig(base).seedDemo).toBe(false);
    expect(loadConfig({ ...base, SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxies', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(
      loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
  });

  it('reads the venue address (lines at ;) and VAT number for receipts, or leaves them out', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      VENUE_ADDRESS: ' 1 High St ;; Leeds LS1 1AA ',
      VENUE_VAT_ID: 'GB 123 456 789',
    });
    expect(config.venueAddress).toEqual(['1 High St', 'Leeds LS1 1AA']);
    expect(config.venueVatId).toBe('GB 123 456 789');
    const plain = loadConfig({ DATA_DIR: dataDir(), VENUE_ADDRESS: '' });
    expect(plain.venueAddress).toEqual([]);
    expect(plain.venueVatId).toBeUndefined();
    expect(errorOf({ VENUE_ADDRESS: 'line\nbreak' })).toContain('VENUE_ADDRESS');
    expect(errorOf({ VENUE_ADDRESS: 'x'.repeat(201) })).toContain('VENUE_ADDRESS');
    expect(errorOf({ VENUE_VAT_ID: '<b>GB1</b>' })).toContain('VENUE_VAT_ID');
  });

  it('reads durations with units', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), ACCESS_TOKEN_TTL: '15m' }).accessTokenTtlSeconds).toBe(
      900,
    );
  });
});
