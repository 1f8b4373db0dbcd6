import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDurationSeconds } from './duration.js';

const boolean = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

/** A century: no duration of the app's means more, and dates past it leave PostgreSQL's range. */
const MAX_DURATION_SECONDS = 36_500 * 86_400;

const duration = z.string().transform((value, ctx) => {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a positive number of seconds or a number with a unit (s, m, h, d), e.g. 600 or 10m',
    });
    return z.NEVER;
  }
  if (seconds > MAX_DURATION_SECONDS) {
    ctx.addIssue({ code: 'custom', message: 'must be at most 36500d (a century)' });
    return z.NEVER;
  }
  return seconds;
});

const count = z.coerce
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' });

const positiveCount = count.min(1, { error: 'must be at least 1' });

const secret = z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= 32, {
  error: 'must be at least 32 bytes long',
});

/** Comma-separated secrets, each at least 32 bytes (base64 and hex secrets have no commas). */
const secretList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(secret, { error: 'must be comma-separated secrets' }));

/** `bar,kitchen`: short lower-case names, no repeats, at least one. */
const stations = z.string().transform((value, ctx): [string, ...string[]] => {
  const [first, ...rest] = value
    .split(',')
    .map((station) => station.trim())
    .filter(Boolean);
  if (first === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must name at least one station, e.g. bar,kitchen' });
    return z.NEVER;
  }
  const list: [string, ...string[]] = [first, ...rest];
  for (const station of list) {
    if (!/^[a-z][a-z0-9-]{0,23}$/.test(station)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${station}" is not a station name: lower-case letters, digits and dashes, up to 24, starting with a letter`,
      });
      return z.NEVER;
    }
  }
  if (new Set(list).size !== list.length) {
    ctx.addIssue({ code: 'custom', message: 'must not name a station twice' });
    return z.NEVER;
  }
  return list;
});

const origins = z.string().transform((value, ctx) => {
  const list = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== origin) {
      ctx.addIssue({
        code: 'custom',
        message: `"${origin}" is not an origin like https://bar.example.com (scheme, host and optional port, no path)`,
      });
      return z.NEVER;
    }
  }
  return list;
});

function isProxyAddress(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (address === undefined || rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** A hop count or a list of proxy addresses/CIDRs; never "trust everything". */
const trustProxy = z.string().transform((value, ctx): number | string[] | false => {
  const text = value.trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every(isProxyAddress)) return entries;
  ctx.addIssue({
    code: 'custom',
    message:
      'must be a hop count (e.g. 1) or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8); trusting every address is not allowed',
  });
  return z.NEVER;
});

/** `https://bar.example.com` or with a path prefix; no query or fragment; no trailing slash kept. */
const publicUrl = z.string().transform((value, ctx) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    parsed.search !== '' ||
    parsed.hash !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an http(s) URL such as https://bar.example.com (no query or fragment)',
    });
    return z.NEVER;
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
});

/** An IANA time zone name the runtime knows, e.g. Europe/Berlin. */
const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone such as UTC or Europe/Berlin' },
);

/**
 * Every environment variable Taproom reads, with its default. The README's configuration table
 * and the docker-compose check are kept against this list.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: count.max(65_535, { error: 'must be a port number (0-65535)' }).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, { error: 'must be a lower-case SQL identifier' })
    .optional(),
  DATABASE_POOL_SIZE: positiveCount.max(100).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  JWT_SECRET: secret.optional(),
  JWT_PREVIOUS_SECRETS: secretList.default([]),
  REFRESH_TOKEN_KEY: secret.optional(),
  ACCESS_TOKEN_TTL: duration.default(600),
  COOKIE_SECURE: boolean.default(true),
  SEED_DEMO: boolean.default(false),
  DEMO_BUSY_EVENING: boolean.default(false),
  CORS_ORIGINS: origins.default([]),
  TRUST_PROXY: trustProxy.default(false),
  WEB_ROOT: z.string().min(1).default('./apps'),
  DEV_APPS_PORT: positiveCount.max(65_533, { error: 'must be a port number (1-65533)' }).optional(),
  SHUTDOWN_TIMEOUT: duration.default(10),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]*$/, { error: 'must contain only letters, digits and _ : . -' })
    .default('taproom:'),
  RATE_LIMIT_USER_PER_MINUTE: count.default(600),
  RATE_LIMIT_ANON_PER_MINUTE: count.default(600),
  RATE_LIMIT_TOKEN_PER_MINUTE: count.default(600),
  RATE_LIMIT_WINDOW: duration.default(60),
  RATE_LIMIT_LOGIN_EMAIL_IP: count.default(5),
  RATE_LIMIT_LOGIN_IP: count.default(50),
  RATE_LIMIT_LOGIN_WINDOW: duration.default(60),
  RATE_LIMIT_LOGIN_ACCOUNT: count.default(100),
  RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: duration.default(3600),
  RATE_LIMIT_REGISTER_IP: count.default(100),
  RATE_LIMIT_REGISTER_WINDOW: duration.default(600),
  RATE_LIMIT_GUEST_IP: count.default(30),
  RATE_LIMIT_GUEST_WINDOW: duration.default(600),
  RATE_LIMIT_PASSWORD_RESET_EMAIL: count.default(5),
  RATE_LIMIT_PASSWORD_RESET_IP: count.default(20),
  RATE_LIMIT_PASSWORD_RESET_WINDOW: duration.default(3600),
  JWT_ALGORITHM: z.enum(['HS256', 'HS384', 'HS512']).default('HS256'),
  REFRESH_REUSE_GRACE_SECONDS: count.max(300, { error: 'must be at most 300' }).default(10),
  SESSION_LIMIT_MODE: z.enum(['evict_oldest', 'deny_new']).default('evict_oldest'),
  SESSION_MAX_ADMIN: positiveCount.default(1),
  SESSION_MAX_BARTENDER: positiveCount.default(2),
  SESSION_MAX_CUSTOMER: positiveCount.default(10),
  SESSION_MAX_GUEST: positiveCount.default(1),
  SESSION_IDLE_ADMIN: duration.default(1800),
  SESSION_IDLE_BARTENDER: duration.default(43_200),
  SESSION_IDLE_CUSTOMER: duration.default(2_592_000),
  SESSION_IDLE_GUEST: duration.default(7_200),
  SESSION_ABSOLUTE_ADMIN: duration.default(43_200),
  SESSION_ABSOLUTE_BARTENDER: duration.default(86_400),
  SESSION_ABSOLUTE_CUSTOMER: duration.default(7_776_000),
  SESSION_ABSOLUTE_GUEST: duration.default(43_200),
  SESSION_ABSOLUTE_CUSTOMER_SHORT: duration.default(43_200),
  SESSION_CLEANUP_INTERVAL: duration.default(300),
  SESSION_RETENTION: duration.default(2_592_000),
  VENUE_TIMEZONE: timeZone.default('UTC'),
  RECALL_WINDOW: duration.default(900),
  PUBLIC_URL: publicUrl.optional(),
  VENUE_NAME: z.string().trim().min(1).max(80).default('Taproom'),
  // Printed on receipts: one line, `;` starts a new line on the receipt.
  VENUE_ADDRESS: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, { error: 'must be one line (use ; for a line break on receipts)' })
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  VENUE_VAT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 .\-/]{1,29}$/, {
      error: 'must be a VAT number: 2–30 letters, digits, spaces, dots, dashes or slashes',
    })
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^([^<>\r\n]*<\S+@\S+>|\S+@\S+)$/, {
      error:
        'must be an address, e.g. no-reply@bar.example.com or "Bar <no-reply@bar.example.com>"',
    })
    .optional(),
  MAIL_POLL_INTERVAL: duration.default(10),
  MAIL_MAX_ATTEMPTS: positiveCount.max(50, { error: 'must be at most 50' }).default(8),
  MAIL_RETRY_BASE: duration.default(30),
  GUEST_MAX_OPEN_ORDERS: positiveCount.default(3),
  STATIONS: stations.default(['bar', 'kitchen']),
  SERVICE_MODE: z.enum(['counter', 'table']).default('counter'),
  TWO_FACTOR_ADMIN: z.enum(['required', 'optional']).default('optional'),
  EVENT_RETENTION: duration
    .pipe(z.number().min(300, { error: 'must be at least 5 minutes (300 s)' }))
    .default(86_400),
  // A year and a month: last year's same month can still be compared with this one.
  AUDIT_RETENTION: duration
    .pipe(z.number().min(86_400, { error: 'must be at least a day (1d)' }))
    .default(34_560_000),
  EVENT_HEARTBEAT: duration.pipe(z.number().max(25, { error: 'must be at most 25 s' })).default(25),
  EVENT_STREAM_BUFFER: positiveCount
    .min(1024, { error: 'must be at least 1024 bytes' })
    .default(262_144),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, {
      error: 'must be a P-256 public key, base64url (as `npx web-push generate-vapid-keys` prints)',
    })
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, {
      error:
        'must be a P-256 private key, base64url (as `npx web-push generate-vapid-keys` prints)',
    })
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, { error: 'must be a mailto: or https:// URL' })
    .default('mailto:taproom@example.com'),
  PUSH_SERVICE_HOSTS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    )
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9.-]+$/, { error: 'must list host names' }))
        .min(1, { error: 'must name at least one push service' }),
    )
    .default([
      'fcm.googleapis.com',
      'push.services.mozilla.com',
      'notify.windows.com',
      'push.apple.com',
    ]),
});

export type Environment = z.infer<typeof environmentSchema>;

/** The names of all configuration variables, for documentation checks. */
export const CONFIG_VARIABLES = Object.keys(environmentSchema.shape) as (keyof Environment)[];
