import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { findOverride, type ResolveOverride } from '../spec/resolve-override';
import type { Deadline } from './deadline';
import { elapsedSince, type HopProgress } from './hop-progress';

/** How a host name became the addresses that are connected to. */
export type AddressSource = 'literal' | 'override' | 'dns';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a host name to all its addresses (A and AAAA), in the order they are to be preferred.
 * The agent may bring its own (`ProbeOptions.resolver`, e.g. DNS servers of its configuration);
 * the default is the system's.
 */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

/** A host's addresses, looked up once per probe (see `sharedLookup`). */
export type NameLookup = (host: string) => Promise<ResolvedAddress[]>;

/**
 * The name lookup one probe shares between its requests (user path, bypass, per-address): one
 * answer per name per probe, so every request of the probe sees the same set of addresses and the
 * resolver is asked once. Without a resolver, the system's: `getaddrinfo` with all addresses, so
 * `/etc/hosts` and the agent's search domains apply as they would for any client there.
 */
export function sharedLookup(resolver?: HostResolver): NameLookup {
  const answers = new Map<string, Promise<ResolvedAddress[]>>();
  return (host) => {
    let answer = answers.get(host);
    if (answer === undefined) {
      answer = lookupAll(host, resolver);
      // Each caller races it against the deadline; one nobody waits for any more must not go unhandled.
      answer.catch(() => undefined);
      answers.set(host, answer);
    }
    return answer;
  };
}

async function lookupAll(host: string, resolver: HostResolver | undefined): Promise<ResolvedAddress[]> {
  const found = resolver ? await resolver(host) : await lookup(host, { all: true });
  const seen = new Set<string>();
  const addresses: ResolvedAddress[] = [];
  for (const { address, family } of found) {
    // A resolver is the agent's code: what it hands back is checked as the system's answer would be.
    const actual = isIP(address);
    if ((actual !== 4 && actual !== 6) || seen.has(address)) continue;
    if (family !== actual) continue;
    seen.add(address);
    addresses.push({ address, family: actual });
  }
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND', hostname: host });
  return addresses;
}

/** The single address of a resolve override or IP literal, or undefined when `host` is a name for DNS. */
export function fixedAddressOf(host: string, port: number, overrides: readonly ResolveOverride[]): { address: ResolvedAddress; source: AddressSource } | undefined {
  const override = findOverride(overrides, host, port);
  if (override) return { address: { address: override.address, family: isIP(override.address) === 6 ? 6 : 4 }, source: 'override' };
  const literal = isIP(host);
  if (literal !== 0) return { address: { address: host, family: literal === 6 ? 6 : 4 }, source: 'literal' };
  return undefined;
}

/**
 * Resolves the addresses one hop may connect to: a resolve override for `host:port` first (curl's
 * `--resolve`), then an IP literal as is (one address each), else every address DNS gives for the
 * name. The lookup is timed into `progress.timings.dns`; an override or literal takes no DNS time.
 */
export async function resolveAddresses(
  host: string,
  port: number,
  overrides: readonly ResolveOverride[],
  lookupName: NameLookup,
  deadline: Deadline,
  progress: HopProgress,
): Promise<{ addresses: ResolvedAddress[]; source: AddressSource }> {
  const fixed = fixedAddressOf(host, port, overrides);
  if (fixed) return { addresses: [fixed.address], source: fixed.source };
  const start = performance.now();
  try {
    // getaddrinfo cannot be cancelled; racing it keeps the deadline, the lookup finishes unheard.
    return { addresses: await deadline.race(lookupName(host)), source: 'dns' };
  } finally {
    progress.timings.dns = elapsedSince(start);
  }
}
