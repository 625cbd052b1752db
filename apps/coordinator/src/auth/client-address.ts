import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address a request is rate limited by: the TCP peer (no forwarding header is trusted, as
 * anyone can send one), IPv4-mapped IPv6 as plain IPv4, and IPv6 by its /64, the block one
 * subscriber usually holds (one host can take any address of it).
 */
export function clientAddressOf(remoteAddress: string | undefined): string | null {
  if (remoteAddress === undefined) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIPv4(remoteAddress)) return remoteAddress;
  if (!isIPv6(remoteAddress)) return remoteAddress;
  return `${expandIPv6(remoteAddress).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (`2001:db8::1` -> 2001, db8, 0, ..., 1). */
function expandIPv6(address: string): string[] {
  const [bare = ''] = address.split('%');
  const [head = '', tail] = bare.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((group) => (parseInt(group, 16) || 0).toString(16));
}
