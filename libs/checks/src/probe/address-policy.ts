import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a probe may connect to. Decided on the address actually connected to (after
 * DNS, resolve overrides and every redirect), never on the host name, so neither a DNS record
 * nor a redirect can steer a probe into a range it must not reach.
 *
 * The one definition of these ranges in the project: the coordinator's webhook deliveries apply
 * the same policy (with private ranges off by default) to the addresses they connect to.
 */

/** What kind of network an address belongs to, as far as the policy is concerned. */
export type AddressRange = 'public' | 'loopback' | 'private' | 'link-local';

/** Which non-public ranges a probe may reach. */
export interface AddressPolicyOptions {
  /** Loopback, RFC 1918, CGNAT, IPv6 ULA and `0.0.0.0/8`. Default `true`: private agents watch private networks. */
  allowPrivate?: boolean;
  /** Link-local and the cloud metadata endpoints. Default `false`: credentials live there. */
  allowLinkLocal?: boolean;
}

/** The policy's answer for one address. */
export type AddressDecision =
  | { allowed: true; range: AddressRange }
  | { allowed: false; range: Exclude<AddressRange, 'public'>; reason: string };

// Checked first: the metadata endpoints of Alibaba (100.100.100.200) and AWS IPv6 (fd00:ec2::254)
// sit inside ranges that are otherwise merely private, and must stay refused when private is allowed.
const linkLocal = blockListOf({
  ipv4: [['169.254.0.0', 16], ['100.100.100.200', 32], ['168.63.129.16', 32]],
  ipv6: [['fe80::', 10], ['fd00:ec2::254', 128]],
});

const loopback = blockListOf({
  ipv4: [['127.0.0.0', 8]],
  // `::` connects to the local host on Linux, like `0.0.0.0` does.
  ipv6: [['::1', 128], ['::', 128]],
});

const privateRanges = blockListOf({
  ipv4: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['0.0.0.0', 8]],
  // fec0::/10 is the deprecated site-local range: still routed privately where it is used at all.
  ipv6: [['fc00::', 7], ['fec0::', 10]],
});

/**
 * Classifies an IP address. IPv4 addresses embedded in IPv6 (IPv4-mapped `::ffff:a.b.c.d` and the
 * NAT64 prefix `64:ff9b::/96`) are classified as the IPv4 address they reach.
 * Throws on a string that is not an IP address (a programmer error: callers resolve first).
 */
export function classifyAddress(address: string): AddressRange {
  const known = classified.get(address);
  if (known !== undefined) return known;
  const range = classifyNow(address);
  // Bounded: an agent probes the same few addresses round after round; a flood of new ones only
  // starts the memo over.
  if (classified.size >= MAX_CLASSIFIED) classified.clear();
  classified.set(address, range);
  return range;
}

/**
 * Ranges of the addresses seen lately. `BlockList.check` builds a `SocketAddress` per call and
 * list, a measurable part of a probe's CPU; the answer for an address never changes.
 */
const classified = new Map<string, AddressRange>();
const MAX_CLASSIFIED = 4_096;

function classifyNow(address: string): AddressRange {
  const bare = stripZone(address);
  if (!isIPv4(bare) && !isIPv6(bare)) throw new TypeError(`"${address}" is not an IP address`);
  const ip = (isIPv6(bare) ? embeddedIPv4(bare) : undefined) ?? bare;
  const family = isIPv4(ip) ? 'ipv4' : 'ipv6';
  if (linkLocal.check(ip, family)) return 'link-local';
  if (loopback.check(ip, family)) return 'loopback';
  if (privateRanges.check(ip, family)) return 'private';
  return 'public';
}

/** Applies {@link AddressPolicyOptions} to resolved addresses. */
export class AddressPolicy {
  private readonly allowPrivate: boolean;
  private readonly allowLinkLocal: boolean;

  constructor(options: AddressPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? true;
    this.allowLinkLocal = options.allowLinkLocal ?? false;
  }

  /** Decides whether `address` may be connected to; the reason names the option that would allow it. */
  check(address: string): AddressDecision {
    const range = classifyAddress(address);
    switch (range) {
      case 'public':
        return { allowed: true, range };
      case 'link-local':
        return this.allowLinkLocal
          ? { allowed: true, range }
          : { allowed: false, range, reason: `${address} is link-local or a cloud metadata address (allowLinkLocal is off)` };
      case 'loopback':
      case 'private':
        return this.allowPrivate
          ? { allowed: true, range }
          : { allowed: false, range, reason: `${address} is a ${range} address (allowPrivate is off)` };
    }
  }
}

function blockListOf(ranges: { ipv4: [string, number][]; ipv6: [string, number][] }): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges.ipv4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of ranges.ipv6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

function stripZone(address: string): string {
  const percent = address.indexOf('%');
  return percent < 0 ? address : address.slice(0, percent);
}

/** The IPv4 address inside an IPv4-mapped or NAT64 (64:ff9b::/96) IPv6 address, if any. */
export function embeddedIPv4(ipv6: string): string | undefined {
  const words = ipv6Words(ipv6);
  if (words === undefined) return undefined;
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0);
  if (!mapped && !nat64) return undefined;
  const high = words[6] ?? 0;
  const low = words[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of an IPv6 address (with `::` and a trailing dotted quad expanded). */
function ipv6Words(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    if (!isIPv4(last)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  const gap = text.indexOf('::');
  let words: number[];
  if (gap < 0) {
    words = parse(text);
  } else {
    const head = parse(text.slice(0, gap));
    const rest = parse(text.slice(gap + 2));
    words = [...head, ...new Array<number>(Math.max(0, 8 - head.length - rest.length)).fill(0), ...rest];
  }
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}
