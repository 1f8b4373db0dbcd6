import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { ROLES, type Role } from '../users/role.js';
import { mayUseApp } from './app-access.js';
import { APPS, type AppName, type AuthContext } from './auth-context.js';
import { jwtKeyId, jwtSecretKey } from './jwt-key.js';

export const TOKEN_ISSUER = 'taproom';
export const TOKEN_AUDIENCE = 'taproom-api';
/** Longer bearer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** The claims of a Taproom access token. */
interface AccessTokenClaims {
  sub: string;
  sid: string;
  role: Role;
  app: AppName;
  /**
   * `setup`: a setup-only session (TWO_FACTOR_ADMIN=required, an admin without two-factor
   * sign-in): the guard lets it call only the routes that turn two-factor sign-in on.
   */
  tfa?: 'setup';
  iat: number;
  exp: number;
}

export interface SignedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
  /** The token is a setup-only one (see {@link TokenService.sign}). */
  readonly setupOnly: boolean;
}

/** Who an access token is for. */
export interface TokenSubject {
  readonly userId: string;
  readonly sessionId: string;
  readonly role: Role;
  readonly app: AppName;
  /**
   * Whether the user has two-factor sign-in on (from the user row read with the session);
   * absent counts as off.
   */
  readonly twoFactorEnabled?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Headers that would point a verifier at another key; Taproom never honours them. */
const FOREIGN_KEY_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'x5t', 'crit'];

/** How many verified tokens {@link TokenService.remember} keeps. */
const VERIFIED_LIMIT = 10_000;

/**
 * Access tokens: signed with `@nestjs/jwt` (jsonwebtoken) with the secret as a
 * `crypto.KeyObject`, one fixed algorithm, issuer, audience and key id. Requests' tokens are
 * verified by {@link JwtStrategy} (passport-jwt) with the key this service picks by `kid`.
 */
@Injectable()
export class TokenService {
  readonly key: KeyObject;
  readonly keyId: string;
  readonly algorithm: AppConfig['jwtAlgorithm'];
  private readonly ttlSeconds: number;
  private readonly twoFactorAdmin: AppConfig['twoFactorAdmin'];
  private readonly ownHeaderSegment: string;
  /**
   * The keys by key id: the current secret's, and those of `JWT_PREVIOUS_SECRETS`, so tokens
   * signed before a key rotation stay valid until they expire instead of signing everyone out.
   */
  private readonly keys: ReadonlyMap<string, { key: KeyObject; verifier: JwtService }>;
  /**
   * Tokens whose signature, header, issuer, audience and claims were verified, with their
   * expiry: a client sends the same token with every request for its whole life, and the same
   * string under the same key verifies the same way, so only the expiry is checked again.
   * Only successful verifications are kept; the oldest entry goes first.
   */
  private readonly verified = new Map<string, { context: AuthContext; exp: number }>();

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly jwt: JwtService,
  ) {
    this.key = jwtSecretKey(config.secrets.jwtSecret);
    this.keyId = jwtKeyId(config.secrets.jwtSecret);
    this.algorithm = config.jwtAlgorithm;
    this.ttlSeconds = config.accessTokenTtlSeconds;
    this.twoFactorAdmin = config.twoFactorAdmin;
    this.ownHeaderSegment = Buffer.from(
      JSON.stringify({ alg: this.algorithm, typ: 'JWT', kid: this.keyId }),
    ).toString('base64url');
    const keyOf = (secret: string) => {
      const key = jwtSecretKey(secret);
      return [jwtKeyId(secret), { key, verifier: new JwtService({ secret: key }) }] as const;
    };
    this.keys = new Map([
      ...config.secrets.previousJwtSecrets.map(keyOf),
      [this.keyId, { key: this.key, verifier: jwt }],
    ]);
  }

  /**
   * Signs an access token for a session; it never outlives the session's absolute end. With
   * `TWO_FACTOR_ADMIN=required`, every session of an admin without two-factor sign-in (in any
   * app: the bartender app too) gets a setup-only token (claim `tfa: "setup"`); every refresh decides again from the user's row,
   * so the first refresh after turning it on gives a full token.
   */
  sign(subject: TokenSubject, sessionExpiresAt: Date): SignedAccessToken {
    const setupOnly =
      this.twoFactorAdmin === 'required' &&
      subject.role === 'admin' &&
      subject.twoFactorEnabled !== true;
    const iat = Math.floor(Date.now() / 1000);
    const exp = Math.min(iat + this.ttlSeconds, Math.floor(sessionExpiresAt.getTime() / 1000));
    const claims: AccessTokenClaims = {
      sub: subject.userId,
      sid: subject.sessionId,
      role: subject.role,
      app: subject.app,
      ...(setupOnly ? { tfa: 'setup' as const } : {}),
      iat,
      exp,
    };
    // The module was registered with this key (see auth.module.ts).
    const token = this.jwt.sign(claims, {
      algorithm: this.algorithm,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      keyid: this.keyId,
    });
    return { token, expiresAt: new Date(exp * 1000), setupOnly };
  }

  /** The options every verification of an access token uses. */
  get verifyOptions(): {
    algorithms: AppConfig['jwtAlgorithm'][];
    issuer: string;
    audience: string;
  } {
    return { algorithms: [this.algorithm], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE };
  }

  /**
   * The key a token's header asks for, when the header is acceptable: the configured algorithm,
   * the id of one of our keys, and no header that would point a verifier at another key.
   */
  keyFor(token: string): KeyObject | undefined {
    return this.entryFor(token)?.key;
  }

  private entryFor(token: string): { key: KeyObject; verifier: JwtService } | undefined {
    if (token.length > MAX_TOKEN_LENGTH) return undefined;
    const end = token.indexOf('.');
    if (end <= 0) return undefined;
    const segment = token.slice(0, end);
    // Every token this server signs starts with the same header: skip parsing it.
    if (segment === this.ownHeaderSegment) return this.keys.get(this.keyId);
    let header: unknown;
    try {
      header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof header !== 'object' || header === null) return undefined;
    const fields = header as Record<string, unknown>;
    if (typeof fields.kid !== 'string' || fields.alg !== this.algorithm) return undefined;
    if (FOREIGN_KEY_HEADERS.some((name) => name in fields)) return undefined;
    return this.keys.get(fields.kid);
  }

  /** The verified claims as the guard's context, or `undefined` when they are not well-formed. */
  contextOf(payload: unknown): AuthContext | undefined {
    if (typeof payload !== 'object' || payload === null) return undefined;
    const claims = payload as Partial<Record<keyof AccessTokenClaims, unknown>>;
    const { sub, sid, role, app } = claims;
    if (typeof sub !== 'string' || !UUID.test(sub)) return undefined;
    if (typeof sid !== 'string' || !UUID.test(sid)) return undefined;
    if (!ROLES.includes(role as Role) || !APPS.includes(app as AppName)) return undefined;
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return undefined;
    if (!mayUseApp(role as Role, app as AppName)) return undefined;
    if (claims.tfa !== undefined && claims.tfa !== 'setup') return undefined;
    const context = { userId: sub, sessionId: sid, role: role as Role, app: app as AppName };
    return claims.tfa === 'setup' ? { ...context, setupOnly: true } : context;
  }

  /** The context of a token verified before and not yet expired, if it is remembered. */
  recall(token: string): AuthContext | undefined {
    const known = this.verified.get(token);
    // jsonwebtoken's rule: expired from the second `exp` names.
    return known !== undefined && Math.floor(Date.now() / 1000) < known.exp
      ? known.context
      : undefined;
  }

  /**
   * The context of a token whose signature, issuer, audience and expiry were just verified
   * (`payload` is its claims), remembered for {@link recall}; `undefined` when the claims are
   * not well-formed.
   */
  remember(token: string, payload: unknown): AuthContext | undefined {
    const context = this.contextOf(payload);
    if (context === undefined) return undefined;
    if (this.verified.size >= VERIFIED_LIMIT) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    // contextOf checked that `exp` is a number.
    this.verified.set(token, { context, exp: (payload as { exp: number }).exp });
    return context;
  }

  /**
   * Verifies a token outside the guard (logout), optionally accepting an expired one: its
   * signature still proves which session it names.
   */
  verify(token: string, options: { ignoreExpiration?: boolean } = {}): AuthContext | undefined {
    const verifier = this.entryFor(token)?.verifier;
    if (verifier === undefined) return undefined;
    let payload: object;
    try {
      payload = verifier.verify<object>(token, {
        ...this.verifyOptions,
        ignoreExpiration: options.ignoreExpiration ?? false,
      });
    } catch {
      return undefined;
    }
    return this.contextOf(payload);
  }
}
