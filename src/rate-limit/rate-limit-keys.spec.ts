import { describe, expect, it } from '@jest/globals';
import { clientKey, emailKey } from './rate-limit-keys.js';

describe('clientKey', () => {
  it('keeps IPv4 addresses as they are', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 addresses per /64, however they are written', () => {
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('::ffff:c000:201')).toBe('192.0.2.1');
  });

  it('has one key for an unknown address', () => {
    expect(clientKey(null)).toBe('unknown');
    expect(clientKey('')).toBe('unknown');
  });
});

describe('emailKey', () => {
  it('is the same for one email in any case and spacing, and holds no plaintext', () => {
    expect(emailKey(' Ann@Example.COM ')).toBe(emailKey('ann@example.com'));
    expect(emailKey('ann@example.com')).not.toContain('ann');
    expect(emailKey('bob@example.com')).not.toBe(emailKey('ann@example.com'));
  });
});
