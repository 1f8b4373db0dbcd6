import { createHash } from 'node:crypto';
import { groupPrefix, ipv6Groups, mappedIpv4 } from '../common/ip-address.js';
import { canonicalEmail } from '../users/canonical-email.js';

/**
 * The counter of one address. IPv6 clients are counted per /64, the block one subscriber gets,
 * so rotating through their own addresses does not escape a limit; IPv4-mapped IPv6 addresses
 * count as the IPv4 address.
 */
export function clientKey(ip: string | null | undefined): string {
  if (ip === null || ip === undefined || ip === '') return 'unknown';
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  const ipv4 = mappedIpv4(groups);
  if (ipv4) return ipv4.join('.');
  return `${groupPrefix(groups, 4)}::/64`;
}

/**
 * The key of an email: its canonical form (the one accounts are found by, so every spelling that
 * reaches an account shares its counters), hashed, so Redis never holds who tried to sign in.
 */
export function emailKey(email: string): string {
  return createHash('sha256').update(canonicalEmail(email)).digest('base64url').slice(0, 32);
}
