import { type KeyObject, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

/** The parts of a presented refresh token `<sessionId>.<generation>.<mac>`. */
export interface ParsedRefreshToken {
  readonly sessionId: string;
  readonly generation: number;
  readonly mac: Buffer;
}

const FORMAT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(0|[1-9]\d{0,8})\.([A-Za-z0-9_-]{43})$/;

/**
 * Refresh tokens: `<sessionId>.<generation>.<mac>` with
 * `mac = HMAC-SHA256(REFRESH_TOKEN_KEY, sessionId | generation | salt)`. The session row keeps
 * only the generation and a random per-session salt, so the database alone can mint nothing,
 * while the server can recompute the current token during the reuse grace window.
 */
export class RefreshTokenCodec {
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  mint(sessionId: string, generation: number, salt: Buffer): string {
    return `${sessionId}.${generation}.${this.mac(sessionId, generation, salt).toString('base64url')}`;
  }

  /** Splits a token of the right shape; anything else is `undefined`. */
  parse(token: string): ParsedRefreshToken | undefined {
    const match = FORMAT.exec(token);
    if (!match) return undefined;
    const [, sessionId, generation, mac] = match;
    if (sessionId === undefined || generation === undefined || mac === undefined) return undefined;
    return { sessionId, generation: Number(generation), mac: Buffer.from(mac, 'base64url') };
  }

  /** Whether the token's mac was made by this server for its session id, generation and salt. */
  verify(token: ParsedRefreshToken, salt: Buffer): boolean {
    const expected = this.mac(token.sessionId, token.generation, salt);
    return token.mac.length === expected.length && timingSafeEqual(token.mac, expected);
  }

  private mac(sessionId: string, generation: number, salt: Buffer): Buffer {
    return createHmac('sha256', this.key)
      .update(`${sessionId}|${generation}|`)
      .update(salt)
      .digest();
  }
}
