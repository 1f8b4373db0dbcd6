import { isIPv6 } from 'node:net';

/**
 * The eight 16-bit groups of an IPv6 address, however it is written (`::`, a zone, a trailing
 * dotted IPv4 part), or undefined when it is not one.
 */
export function ipv6Groups(ip: string): number[] | undefined {
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
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
}

/** The four bytes of an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`), or undefined. */
export function mappedIpv4(
  groups: readonly number[],
): [number, number, number, number] | undefined {
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (!mapped) return undefined;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

/** The first `count` groups in hexadecimal, as a prefix is written: `2001:db8:1`. */
export function groupPrefix(groups: readonly number[], count: number): string {
  return groups
    .slice(0, count)
    .map((group) => group.toString(16))
    .join(':');
}
