import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './client-address';

describe('clientAddressOf', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:85a3:0:1:2:3:4', '2001:db8:85a3:0::/64'],
    ['2001:db8:85a3::9', '2001:db8:85a3:0::/64'],
    ['2001:0db8:85a3:0000:ffff:ffff:ffff:ffff', '2001:db8:85a3:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s -> %s', (remote, expected) => {
    expect(clientAddressOf(remote)).toBe(expected);
  });

  it('has no address for a socket that has none', () => {
    expect(clientAddressOf(undefined)).toBeNull();
  });
});
