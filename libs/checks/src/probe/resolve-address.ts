import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { findOverride, type ResolveOverride } from '../spec/resolve-override';
import type { Deadline } from './deadline';
import { elapsedSince, type HopProgress } from './hop-progress';

/** How a host name became the address that is connected to. */
export type AddressSource = 'literal' | 'override' | 'dns';

/**
 * Resolves the address one hop connects to: a resolve override for `host:port` first (curl's
 * `--resolve`), then an IP literal as is, else one DNS lookup through the system resolver (so
 * `/etc/hosts` and the agent's search domains apply as they would for any client there). The
 * lookup is timed into `progress.timings.dns`; an override or literal takes no DNS time at all.
 *
 * One address only, in the resolver's order: no Happy Eyeballs fallback to a second address.
 */
export async function resolveAddress(
  host: string,
  port: number,
  overrides: readonly ResolveOverride[],
  deadline: Deadline,
  progress: HopProgress,
): Promise<{ address: string; source: AddressSource }> {
  const override = findOverride(overrides, host, port);
  if (override) return { address: override.address, source: 'override' };
  if (isIP(host) !== 0) return { address: host, source: 'literal' };
  const start = performance.now();
  try {
    // getaddrinfo cannot be cancelled; racing it keeps the deadline, the lookup finishes unheard.
    const { address } = await deadline.race(lookup(host, { all: false }));
    return { address, source: 'dns' };
  } finally {
    progress.timings.dns = elapsedSince(start);
  }
}
