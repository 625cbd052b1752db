import { describe, expect, it } from 'vitest';
import { AddressPolicy, classifyAddress, embeddedIPv4, type AddressRange } from './address-policy';

describe('classifyAddress', () => {
  it.each<[string, AddressRange]>([
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'private'],
    ['0.1.2.3', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.100.100.200', 'link-local'],
    ['fd00:ec2::254', 'link-local'],
    ['168.63.129.16', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::8.8.8.8', 'public'],
  ])('%s is %s', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it('throws on something that is not an address (callers resolve first)', () => {
    expect(() => classifyAddress('example.com')).toThrow(TypeError);
  });
});

describe('embeddedIPv4', () => {
  it.each([
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::ffff:0102:0304', '1.2.3.4'],
    ['64:ff9b::0102:0304', '1.2.3.4'],
    ['::1', undefined],
    ['2001:db8::1.2.3.4', undefined],
  ])('%s -> %s', (address, expected) => {
    expect(embeddedIPv4(address)).toBe(expected);
  });
});

describe('AddressPolicy', () => {
  it.each([
    { options: {}, address: '127.0.0.2', allowed: true },
    { options: {}, address: '10.0.0.1', allowed: true },
    { options: {}, address: '169.254.169.254', allowed: false },
    { options: {}, address: '100.100.100.200', allowed: false },
    { options: {}, address: 'fd00:ec2::254', allowed: false },
    { options: {}, address: '8.8.8.8', allowed: true },
    { options: { allowPrivate: false }, address: '127.0.0.2', allowed: false },
    { options: { allowPrivate: false }, address: '::1', allowed: false },
    { options: { allowPrivate: false }, address: '192.168.0.10', allowed: false },
    { options: { allowPrivate: false }, address: '::ffff:192.168.0.10', allowed: false },
    { options: { allowPrivate: false }, address: '100.64.1.1', allowed: false },
    { options: { allowPrivate: false }, address: '8.8.8.8', allowed: true },
    { options: { allowLinkLocal: true }, address: '169.254.169.254', allowed: true },
    { options: { allowLinkLocal: true, allowPrivate: false }, address: '100.100.100.200', allowed: true },
  ])('$options: $address allowed=$allowed', ({ options, address, allowed }) => {
    const decision = new AddressPolicy(options).check(address);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toContain(address);
  });

  it('names the option that would allow a refused address', () => {
    const linkLocal = new AddressPolicy().check('169.254.169.254');
    const loopback = new AddressPolicy({ allowPrivate: false }).check('127.0.0.1');
    expect(linkLocal.allowed === false && linkLocal.reason).toContain('allowLinkLocal');
    expect(loopback.allowed === false && loopback.reason).toContain('allowPrivate');
  });
});
