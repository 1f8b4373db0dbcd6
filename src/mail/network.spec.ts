import { describe, expect, it } from '@jest/globals';
import { networkOf } from './network.js';

describe('networkOf: the /24 or /48 a sign-in came from', () => {
  it.each([
    ['203.0.113.7', '203.0.113.x'],
    ['203.0.113.255', '203.0.113.x'],
    ['10.1.2.3', '10.1.2.x'],
    ['::ffff:198.51.100.9', '198.51.100.x'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48'],
    ['2001:db8:85a3:ffff::1', '2001:db8:85a3::/48'],
    ['2001:0db8:0000:0001::1', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
  ])('%s → %s', (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });

  it('puts two addresses of one /24 or /48 together, and of neighbouring ones apart', () => {
    expect(networkOf('192.0.2.1')).toBe(networkOf('192.0.2.254'));
    expect(networkOf('192.0.2.1')).not.toBe(networkOf('192.0.3.1'));
    expect(networkOf('2001:db8:1:1::1')).toBe(networkOf('2001:db8:1:2::1'));
    expect(networkOf('2001:db8:1::1')).not.toBe(networkOf('2001:db8:2::1'));
  });

  it.each([[null], [undefined], [''], ['not-an-ip']])('%p is unknown', (ip) => {
    expect(networkOf(ip)).toBe('unknown');
  });
});
