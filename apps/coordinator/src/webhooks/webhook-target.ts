import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may not go: link-local addresses and the cloud metadata endpoints, where
 * credentials live. Loopback and private ranges stay allowed: on-prem receivers exist.
 *
 * The same ranges as the probe's address policy in `@crosscheck/checks` (not exported from it),
 * with IPv4-mapped IPv6 (matched by `BlockList` itself) and NAT64 forms of the IPv4 ones.
 */
const refused = new BlockList();
refused.addSubnet('169.254.0.0', 16, 'ipv4');
refused.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
refused.addAddress('168.63.129.16', 'ipv4'); // Azure wire server
refused.addSubnet('fe80::', 10, 'ipv6');
refused.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
refused.addSubnet('64:ff9b::a9fe:0', 112, 'ipv6'); // NAT64 of 169.254.0.0/16
refused.addAddress('64:ff9b::6464:64c8', 'ipv6'); // NAT64 of 100.100.100.200
refused.addAddress('64:ff9b::a83f:8110', 'ipv6'); // NAT64 of 168.63.129.16

/** A webhook target in a refused range. Never retried: the address will not become acceptable. */
export class RefusedTargetError extends Error {
  readonly code = 'ERR_WEBHOOK_REFUSED_TARGET';

  constructor(address: string) {
    super(`refused to connect to ${address}: link-local or cloud metadata address`);
    this.name = 'RefusedTargetError';
  }
}

/** Whether webhooks may connect to the IP address `address`. */
export function isRefusedAddress(address: string): boolean {
  const percent = address.indexOf('%');
  const bare = percent < 0 ? address : address.slice(0, percent);
  const family = isIP(bare);
  if (family === 0) return false;
  return refused.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why `url` cannot be a webhook target, or `null`. Only an IP literal can be judged here; a host
 * name is judged on the addresses it resolves to, at each connection ({@link guardedLookup}).
 */
export function refusedUrlReason(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isRefusedAddress(host) ? `${host} is a link-local or cloud metadata address` : null;
}

/**
 * A `lookup` for `net.connect` that resolves like `dns.lookup` and fails when any address is in
 * a refused range: the decision is taken on the addresses actually connected to, so a DNS record
 * cannot steer a delivery to the metadata endpoint.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (error, address, family) => {
    if (error) {
      callback(error, address, family);
      return;
    }
    const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
    const blocked = addresses.find(isRefusedAddress);
    if (blocked !== undefined) {
      callback(new RefusedTargetError(blocked) as NodeJS.ErrnoException, address, family);
      return;
    }
    callback(null, address, family);
  });
};
