import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { canonicalEmail } from '../users/canonical-email.js';

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.split('%')[0] ?? ip;
  // A trailing dotted IPv4 part (::ffff:192.0.2.1) becomes two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return groups.map((group) => parseInt(group, 16));
}

/**
 * The counter of one address. IPv6 clients are counted per /64, the block one subscriber gets,
 * so rotating through their own addresses does not escape a limit; IPv4-mapped IPv6 addresses
 * count as the IPv4 address.
 */
export function clientKey(ip: string | null | undefined): string {
  if (ip === null || ip === undefined || ip === '') return 'unknown';
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * The key of an email: its canonical form (the one accounts are found by, so every spelling that
 * reaches an account shares its counters), hashed, so Redis never holds who tried to sign in.
 */
export function emailKey(email: string): string {
  return createHash('sha256').update(canonicalEmail(email)).digest('base64url').slice(0, 32);
}
