/** What the app needs from an access token's claims: when it was issued and when it expires. */
export interface TokenTimes {
  /** Seconds since the epoch. */
  iat: number | undefined;
  exp: number | undefined;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads `iat` and `exp` from a JWT without verifying it (the server does that): the client only
 * uses them to schedule its refresh. Returns undefined for anything that is not a JWT.
 */
export function decodeTokenTimes(token: string): TokenTimes | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as unknown;
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { iat, exp } = claims as Record<string, unknown>;
    return {
      iat: typeof iat === 'number' ? iat : undefined,
      exp: typeof exp === 'number' ? exp : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * How long a freshly received token lives, in ms. Taken from the token's own `exp - iat` when it
 * has them, else from the server's `accessTokenExpiresAt` against the server's `Date` header (or
 * our clock). Measuring a lifetime rather than trusting an absolute time keeps a phone with a
 * wrong clock from refreshing too late or in a loop.
 */
export function tokenLifetimeMs(
  token: string,
  expiresAtIso: string | undefined,
  serverNowMs: number,
): number {
  const times = decodeTokenTimes(token);
  if (times?.exp !== undefined && times.iat !== undefined && times.exp > times.iat) {
    return (times.exp - times.iat) * 1000;
  }
  const expiresAt = expiresAtIso === undefined ? Number.NaN : Date.parse(expiresAtIso);
  if (Number.isFinite(expiresAt)) return Math.max(0, expiresAt - serverNowMs);
  return 0;
}

/**
 * Whether an access token is a setup-only one (`TWO_FACTOR_ADMIN=required`, an admin without
 * two-factor sign-in): its `tfa` claim is `"setup"`, and the API answers it only for `/me`,
 * sign-out and the two-factor setup until a refresh after enabling.
 */
export function isSetupOnlyToken(token: string | null): boolean {
  const payload = token?.split('.')[1];
  if (payload === undefined) return false;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as unknown;
    return typeof claims === 'object' && claims !== null && 'tfa' in claims
      ? claims.tfa === 'setup'
      : false;
  } catch {
    return false;
  }
}
