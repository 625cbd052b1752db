import { Resolver } from 'node:dns/promises';
import type { HostResolver } from '@crosscheck/checks';

/** Errors that only say a name has no address of one family (or none at all): the other family may still answer. */
const NO_ADDRESS = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * A probe resolver asking the agent's own DNS servers (`PROBE_DNS_SERVERS`) for A and AAAA
 * records at once, instead of the system's `getaddrinfo` (so `/etc/hosts` and search domains do
 * not apply: the name is asked as written). IPv6 addresses are listed first, as `getaddrinfo`
 * orders them by default (RFC 6724); the probe interleaves the families for Happy Eyeballs.
 *
 * A family with no records is not a failure; both without is `ENOTFOUND`, and any other error
 * (a server that does not answer, SERVFAIL) is passed on, so the probe reports `dns_failure`.
 */
export function dnsServersResolver(servers: readonly string[], options: { timeoutMs?: number; tries?: number } = {}): HostResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: options.tries ?? 2 });
  resolver.setServers([...servers]);
  return async (host) => {
    const [v6, v4] = await Promise.allSettled([resolver.resolve6(host), resolver.resolve4(host)]);
    const families = [
      { family: 6 as const, result: v6 },
      { family: 4 as const, result: v4 },
    ];
    const addresses: Array<{ address: string; family: 4 | 6 }> = [];
    let failure: unknown;
    for (const { family, result } of families) {
      if (result.status === 'fulfilled') for (const address of result.value) addresses.push({ address, family });
      else if (!NO_ADDRESS.has((result.reason as NodeJS.ErrnoException).code ?? '')) failure ??= result.reason;
    }
    if (addresses.length > 0) return addresses;
    if (failure !== undefined) throw failure;
    throw Object.assign(new Error(`${host} has no A or AAAA record`), { code: 'ENOTFOUND', hostname: host });
  };
}
