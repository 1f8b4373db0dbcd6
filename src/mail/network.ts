import { isIPv4 } from 'node:net';
import { groupPrefix, ipv6Groups, mappedIpv4 } from '../common/ip-address.js';

/**
 * The network an address belongs to, as the new-device rule counts it and as a mail shows it:
 * the /24 of an IPv4 address (`203.0.113.x`), the /48 of an IPv6 one (`2001:db8:85a3::/48`).
 * IPv4-mapped IPv6 addresses count as their IPv4 address. Unknown: `unknown`.
 */
export function networkOf(ip: string | null | undefined): string {
  if (ip === null || ip === undefined || ip === '') return 'unknown';
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.x`;
  const groups = ipv6Groups(ip);
  if (!groups) return 'unknown';
  const ipv4 = mappedIpv4(groups);
  if (ipv4) return `${ipv4.slice(0, 3).join('.')}.x`;
  return `${groupPrefix(groups, 3)}::/48`;
}
