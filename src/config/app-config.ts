import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { ZodError } from 'zod';
import { type Environment, environmentSchema } from './config.schema.js';
import type { Role } from '../users/role.js';

/** Raised when the environment holds a missing or bad value; start-up prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface DatabaseConfig {
  /** PostgreSQL URL; absent means the embedded database under `dataDir`. */
  readonly url: string | undefined;
  readonly schema: string | undefined;
  readonly poolSize: number;
}

/** At most `limit` events per fixed window of `windowSeconds`; a limit of 0 turns the rule off. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** Every rate limit (contract: Auth). Counted on the shared storage (Redis when configured). */
export interface RateLimitsConfig {
  /** General limit per signed-in user (`RATE_LIMIT_USER_PER_MINUTE`). */
  readonly user: RateLimitRule;
  /** General limit per IP for anonymous requests (`RATE_LIMIT_ANON_PER_MINUTE`). */
  readonly anonymous: RateLimitRule;
  /** General limit per API token, instead of its owner's (`RATE_LIMIT_TOKEN_PER_MINUTE`). */
  readonly token: RateLimitRule;
  readonly loginFailuresPerEmailAndIp: RateLimitRule;
  readonly loginFailuresPerIp: RateLimitRule;
  readonly loginFailuresPerAccount: RateLimitRule;
  readonly registrationsPerIp: RateLimitRule;
  /** New guests (table QR sign-ins) per IP. */
  readonly guestsPerIp: RateLimitRule;
  /** Password reset requests per (canonical) email, known or not. */
  readonly passwordResetsPerEmail: RateLimitRule;
  /** Password reset requests per IP. */
  readonly passwordResetsPerIp: RateLimitRule;
}

/** Outgoing mail (password reset, new-device notices). */
interface MailConfig {
  /** `SMTP_URL`; absent: `.eml` files under `DATA_DIR/mail` (outside production) or no mail. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
  /** Seconds between runs of the mail job (it is also nudged right after a mail is queued). */
  readonly pollIntervalSeconds: number;
  /** Attempts per message before it is given up. */
  readonly maxAttempts: number;
  /** The first retry's delay in seconds; each next one doubles (capped at an hour). */
  readonly retryBaseSeconds: number;
}

/** The typed, validated configuration of one Taproom process. */
export interface AppConfig {
  readonly env: Environment['NODE_ENV'];
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: Environment['LOG_LEVEL'];
  /** `LOG_FORMAT`, when set; else pretty on a terminal outside production (see `usePrettyLogs`). */
  readonly logFormat: Environment['LOG_FORMAT'];
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  readonly secrets: {
    readonly jwtSecret: string;
    /** Earlier signing secrets whose access tokens still verify (by `kid`) until they expire. */
    readonly previousJwtSecrets: readonly string[];
    readonly refreshTokenKey: string;
  };
  readonly accessTokenTtlSeconds: number;
  readonly cookieSecure: boolean;
  readonly seedDemo: boolean;
  /** With demo data: a busy evening's orders in every state, seeded when no order is open. */
  readonly demoBusyEvening: boolean;
  readonly corsOrigins: readonly string[];
  readonly trustProxy: number | string[] | false;
  readonly webRoot: string;
  /** Set by `npm run dev`: the apps' Vite dev servers listen on this port and the next two. */
  readonly devAppsPort: number | undefined;
  readonly shutdownTimeoutSeconds: number;
  /** Business days (order numbers, sales report days) are dates in this IANA time zone. */
  readonly venueTimezone: string;
  /** How long after completion staff may take an order back to ready (a served drink returned). */
  readonly recallWindowSeconds: number;
  /**
   * Where people reach the apps, without a trailing slash (`PUBLIC_URL`; by default the server's
   * own address): table QR codes point at `<publicUrl>/t/<token>`.
   */
  readonly publicUrl: string;
  /** The venue's name, in mails (`VENUE_NAME`). */
  readonly venueName: string;
  /** The venue's address lines, on receipts (`VENUE_ADDRESS`, split at `;`); empty when unset. */
  readonly venueAddress: readonly string[];
  /** The venue's VAT number, on receipts (`VENUE_VAT_ID`). */
  readonly venueVatId: string | undefined;
  readonly mail: MailConfig;
  /** How many unfinished orders one guest may have at once. */
  readonly guestMaxOpenOrders: number;
  /** Where menu items are prepared; the first is every item's default. */
  readonly stations: readonly [string, ...string[]];
  /** `table`: orders are brought to the table; `counter`: guests collect them at the bar. */
  readonly serviceMode: Environment['SERVICE_MODE'];
  /**
   * `required`: an admin without two-factor sign-in who signs in to the admin app gets a
   * setup-only session until they turn it on (`TWO_FACTOR_ADMIN`).
   */
  readonly twoFactorAdmin: Environment['TWO_FACTOR_ADMIN'];
  /** Prefix of every Redis key this instance writes. */
  readonly redisKeyPrefix: string;
  readonly rateLimits: RateLimitsConfig;
  readonly jwtAlgorithm: Environment['JWT_ALGORITHM'];
  /** How long a just-rotated refresh token still answers with the session's current tokens. */
  readonly refreshReuseGraceSeconds: number;
  readonly sessions: SessionsConfig;
  readonly events: EventsConfig;
  readonly push: PushConfig;
  readonly audit: AuditConfig;
}

/** Web Push (ready alerts): the VAPID key pair and who the push services may contact. */
export interface PushConfig {
  /** `VAPID_PUBLIC_KEY` and `VAPID_PRIVATE_KEY`, when both are set. */
  readonly vapidKeys: { readonly publicKey: string; readonly privateKey: string } | undefined;
  /** Without keys: generate a pair under `dataDir` (a single instance outside production). */
  readonly generateKeys: boolean;
  readonly subject: string;
  /**
   * The push services a subscription's endpoint may be at (a host, or a subdomain of one): the
   * server posts to endpoints, so no other host (an internal address) is ever contacted.
   */
  readonly serviceHosts: readonly string[];
}

/** The event log and the live event streams. */
interface EventsConfig {
  /** How long event log entries are kept for `Last-Event-ID` replay (at least 5 minutes). */
  readonly retentionSeconds: number;
  /** Seconds between heartbeat comments on an idle stream (at most 25). */
  readonly heartbeatSeconds: number;
  /** Bytes a stream may have waiting for a slow client before it is dropped. */
  readonly streamBufferBytes: number;
}

/** The audit log. */
interface AuditConfig {
  /** How long audit entries are kept (`AUDIT_RETENTION`); older ones are deleted hourly. */
  readonly retentionSeconds: number;
}

/** One role's session policy: cap per app, idle timeout, absolute lifetime. */
export interface RoleSessionConfig {
  readonly maxPerApp: number;
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

export interface SessionsConfig {
  readonly limitMode: Environment['SESSION_LIMIT_MODE'];
  readonly roles: Readonly<Record<Role, RoleSessionConfig>>;
  /** Absolute lifetime of a customer-app session signed in without "Keep me signed in". */
  readonly customerShortAbsoluteSeconds: number;
  /** How often expired sessions are marked and long-dead rows deleted. */
  readonly cleanupIntervalSeconds: number;
  /** How long ended sessions are kept before they are deleted. */
  readonly retentionSeconds: number;
}

function describeIssues(error: ZodError, env: NodeJS.ProcessEnv): string {
  return error.issues
    .map((issue) => {
      const variable = String(issue.path[0] ?? 'configuration');
      const raw = env[variable];
      const shown = raw === undefined || /SECRET|KEY|URL/.test(variable) ? '' : ` (got "${raw}")`;
      return `${variable} ${issue.message}${shown}`;
    })
    .join('; ');
}

/** `http://HOST:PORT`, the server's own address (IPv6 hosts in brackets). */
function ownAddress(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${String(port)}`;
}

/** Reads the secrets kept under DATA_DIR for non-production runs, creating them on first start. */
function localSecrets(dataDir: string): { jwtSecret: string; refreshTokenKey: string } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (typeof stored.jwtSecret === 'string' && typeof stored.refreshTokenKey === 'string') {
      return { jwtSecret: stored.jwtSecret, refreshTokenKey: stored.refreshTokenKey };
    }
  }
  const secrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    refreshTokenKey: randomBytes(48).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/**
 * Builds the configuration from environment variables. Throws {@link ConfigError} with one line
 * naming every variable that is missing or wrong.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, env));
  const vars = parsed.data;
  const isProduction = vars.NODE_ENV === 'production';

  if (isProduction) {
    const missing = (['DATABASE_URL', 'JWT_SECRET', 'REFRESH_TOKEN_KEY'] as const).filter(
      (name) => vars[name] === undefined,
    );
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((name) => `${name} is required when NODE_ENV=production`).join('; '),
      );
    }
  }
  if (isProduction && vars.SMTP_URL !== undefined && vars.PUBLIC_URL === undefined) {
    // Mails link to PUBLIC_URL: without it they would point at the bind address (0.0.0.0:3000).
    throw new ConfigError(
      'PUBLIC_URL is required when NODE_ENV=production and SMTP_URL is set (mailed links point to it)',
    );
  }
  if (vars.REDIS_URL !== undefined) {
    // REDIS_URL means several instances: secrets generated per DATA_DIR would differ between them.
    const missing = (['JWT_SECRET', 'REFRESH_TOKEN_KEY'] as const).filter(
      (name) => vars[name] === undefined,
    );
    if (missing.length > 0) {
      throw new ConfigError(
        missing
          .map((name) => `${name} is required with REDIS_URL (every instance must share it)`)
          .join('; '),
      );
    }
  }
  if ((vars.VAPID_PUBLIC_KEY === undefined) !== (vars.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set together or not at all');
  }
  if (vars.JWT_SECRET !== undefined && vars.JWT_SECRET === vars.REFRESH_TOKEN_KEY) {
    throw new ConfigError('REFRESH_TOKEN_KEY must differ from JWT_SECRET');
  }

  const dataDir = resolve(vars.DATA_DIR);
  const generated =
    vars.JWT_SECRET === undefined || vars.REFRESH_TOKEN_KEY === undefined
      ? localSecrets(dataDir)
      : undefined;

  return {
    env: vars.NODE_ENV,
    isProduction,
    host: vars.HOST,
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    logFormat: vars.LOG_FORMAT,
    dataDir,
    database: {
      url: vars.DATABASE_URL,
      schema: vars.DATABASE_SCHEMA,
      poolSize: vars.DATABASE_POOL_SIZE,
    },
    redisUrl: vars.REDIS_URL,
    secrets: {
      jwtSecret: vars.JWT_SECRET ?? generated?.jwtSecret ?? '',
      previousJwtSecrets: vars.JWT_PREVIOUS_SECRETS,
      refreshTokenKey: vars.REFRESH_TOKEN_KEY ?? generated?.refreshTokenKey ?? '',
    },
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL,
    cookieSecure: vars.COOKIE_SECURE,
    // Demo data is never seeded in production; the embedded database always gets it otherwise.
    seedDemo: !isProduction && (vars.SEED_DEMO || vars.DATABASE_URL === undefined),
    demoBusyEvening: !isProduction && vars.DEMO_BUSY_EVENING,
    corsOrigins: vars.CORS_ORIGINS,
    trustProxy: vars.TRUST_PROXY,
    webRoot: resolve(vars.WEB_ROOT),
    devAppsPort: vars.DEV_APPS_PORT,
    shutdownTimeoutSeconds: vars.SHUTDOWN_TIMEOUT,
    venueTimezone: vars.VENUE_TIMEZONE,
    recallWindowSeconds: vars.RECALL_WINDOW,
    publicUrl: vars.PUBLIC_URL ?? ownAddress(vars.HOST, vars.PORT),
    venueName: vars.VENUE_NAME,
    venueAddress: (vars.VENUE_ADDRESS ?? '')
      .split(';')
      .map((line) => line.trim())
      .filter(Boolean),
    venueVatId: vars.VENUE_VAT_ID,
    mail: {
      smtpUrl: vars.SMTP_URL,
      from: vars.MAIL_FROM ?? `${vars.VENUE_NAME.replace(/[<>"\r\n]/g, '')} <no-reply@localhost>`,
      pollIntervalSeconds: vars.MAIL_POLL_INTERVAL,
      maxAttempts: vars.MAIL_MAX_ATTEMPTS,
      retryBaseSeconds: vars.MAIL_RETRY_BASE,
    },
    guestMaxOpenOrders: vars.GUEST_MAX_OPEN_ORDERS,
    stations: vars.STATIONS,
    serviceMode: vars.SERVICE_MODE,
    twoFactorAdmin: vars.TWO_FACTOR_ADMIN,
    redisKeyPrefix: vars.REDIS_KEY_PREFIX,
    rateLimits: {
      user: { limit: vars.RATE_LIMIT_USER_PER_MINUTE, windowSeconds: vars.RATE_LIMIT_WINDOW },
      anonymous: { limit: vars.RATE_LIMIT_ANON_PER_MINUTE, windowSeconds: vars.RATE_LIMIT_WINDOW },
      token: { limit: vars.RATE_LIMIT_TOKEN_PER_MINUTE, windowSeconds: vars.RATE_LIMIT_WINDOW },
      loginFailuresPerEmailAndIp: {
        limit: vars.RATE_LIMIT_LOGIN_EMAIL_IP,
        windowSeconds: vars.RATE_LIMIT_LOGIN_WINDOW,
      },
      loginFailuresPerIp: {
        limit: vars.RATE_LIMIT_LOGIN_IP,
        windowSeconds: vars.RATE_LIMIT_LOGIN_WINDOW,
      },
      loginFailuresPerAccount: {
        limit: vars.RATE_LIMIT_LOGIN_ACCOUNT,
        windowSeconds: vars.RATE_LIMIT_LOGIN_ACCOUNT_WINDOW,
      },
      registrationsPerIp: {
        limit: vars.RATE_LIMIT_REGISTER_IP,
        windowSeconds: vars.RATE_LIMIT_REGISTER_WINDOW,
      },
      guestsPerIp: {
        limit: vars.RATE_LIMIT_GUEST_IP,
        windowSeconds: vars.RATE_LIMIT_GUEST_WINDOW,
      },
      passwordResetsPerEmail: {
        limit: vars.RATE_LIMIT_PASSWORD_RESET_EMAIL,
        windowSeconds: vars.RATE_LIMIT_PASSWORD_RESET_WINDOW,
      },
      passwordResetsPerIp: {
        limit: vars.RATE_LIMIT_PASSWORD_RESET_IP,
        windowSeconds: vars.RATE_LIMIT_PASSWORD_RESET_WINDOW,
      },
    },
    jwtAlgorithm: vars.JWT_ALGORITHM,
    refreshReuseGraceSeconds: vars.REFRESH_REUSE_GRACE_SECONDS,
    sessions: {
      limitMode: vars.SESSION_LIMIT_MODE,
      roles: {
        admin: {
          maxPerApp: vars.SESSION_MAX_ADMIN,
          idleSeconds: vars.SESSION_IDLE_ADMIN,
          absoluteSeconds: vars.SESSION_ABSOLUTE_ADMIN,
        },
        bartender: {
          maxPerApp: vars.SESSION_MAX_BARTENDER,
          idleSeconds: vars.SESSION_IDLE_BARTENDER,
          absoluteSeconds: vars.SESSION_ABSOLUTE_BARTENDER,
        },
        customer: {
          maxPerApp: vars.SESSION_MAX_CUSTOMER,
          idleSeconds: vars.SESSION_IDLE_CUSTOMER,
          absoluteSeconds: vars.SESSION_ABSOLUTE_CUSTOMER,
        },
        guest: {
          maxPerApp: vars.SESSION_MAX_GUEST,
          idleSeconds: vars.SESSION_IDLE_GUEST,
          absoluteSeconds: vars.SESSION_ABSOLUTE_GUEST,
        },
      },
      customerShortAbsoluteSeconds: vars.SESSION_ABSOLUTE_CUSTOMER_SHORT,
      cleanupIntervalSeconds: vars.SESSION_CLEANUP_INTERVAL,
      retentionSeconds: vars.SESSION_RETENTION,
    },
    events: {
      retentionSeconds: vars.EVENT_RETENTION,
      heartbeatSeconds: vars.EVENT_HEARTBEAT,
      streamBufferBytes: vars.EVENT_STREAM_BUFFER,
    },
    push: {
      vapidKeys:
        vars.VAPID_PUBLIC_KEY === undefined || vars.VAPID_PRIVATE_KEY === undefined
          ? undefined
          : { publicKey: vars.VAPID_PUBLIC_KEY, privateKey: vars.VAPID_PRIVATE_KEY },
      // Keys generated per DATA_DIR would differ between the instances behind one address.
      generateKeys: !isProduction && vars.REDIS_URL === undefined,
      subject: vars.VAPID_SUBJECT,
      serviceHosts: vars.PUSH_SERVICE_HOSTS,
    },
    audit: {
      retentionSeconds: vars.AUDIT_RETENTION,
    },
  };
}
