import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { guardedLookup, isRefusedAddress, RefusedTargetError, refusedUrlReason } from './webhook-target';

describe('webhook target policy', () => {
  it.each([
    { address: '169.254.169.254', refused: true },
    { address: '169.254.0.1', refused: true },
    { address: '100.100.100.200', refused: true },
    { address: '168.63.129.16', refused: true },
    { address: 'fe80::1', refused: true },
    { address: 'fe80::1%eth0', refused: true },
    { address: 'fd00:ec2::254', refused: true },
    { address: '::ffff:169.254.169.254', refused: true },
    { address: '::ffff:a9fe:a9fe', refused: true },
    { address: '64:ff9b::a9fe:a9fe', refused: true },
    // Loopback and private receivers exist (on-prem): allowed.
    { address: '127.0.0.1', refused: false },
    { address: '::1', refused: false },
    { address: '10.1.2.3', refused: false },
    { address: '192.168.1.10', refused: false },
    { address: '100.100.100.201', refused: false },
    { address: 'fd00:ec2::253', refused: false },
    { address: '93.184.216.34', refused: false },
    { address: '2606:2800:220:1::1', refused: false },
  ])('$address refused: $refused', ({ address, refused }) => {
    expect(isRefusedAddress(address)).toBe(refused);
  });

  it.each([
    { url: 'http://169.254.169.254/latest/meta-data/', refused: true },
    { url: 'http://[fe80::1]:8080/', refused: true },
    { url: 'http://[::ffff:169.254.169.254]/', refused: true },
    { url: 'https://hooks.example/x', refused: false },
    { url: 'http://127.0.0.1:9000/hook', refused: false },
  ])('judges the IP literal of $url', ({ url, refused }) => {
    expect(refusedUrlReason(new URL(url)) !== null).toBe(refused);
  });

  it('resolves host names and refuses them only when an address is refused', async () => {
    const lookup = promisify((host: string, callback: (error: NodeJS.ErrnoException | null, address: unknown) => void) =>
      guardedLookup(host, { all: true }, (error, address) => callback(error, address)),
    );
    await expect(lookup('localhost')).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
    // An IP literal goes through lookup unresolved: the policy still sees it.
    await expect(lookup('169.254.169.254')).rejects.toBeInstanceOf(RefusedTargetError);
  });
});
