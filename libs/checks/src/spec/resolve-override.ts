import { isIP } from 'node:net';

/** A curl-style `--resolve host:port:address` entry: connect there, keep Host and SNI. */
export interface ResolveOverride {
  host: string;
  port: number;
  address: string;
}

/** Parses `host:port:address` (IPv6 addresses may be bracketed). Throws with a readable message. */
export function parseResolveOverride(entry: string): ResolveOverride {
  const first = entry.indexOf(':');
  const second = entry.indexOf(':', first + 1);
  if (first <= 0 || second <= first + 1) {
    throw new Error(`"${entry}" must be "host:port:address"`);
  }
  const host = entry.slice(0, first).toLowerCase();
  const port = Number(entry.slice(first + 1, second));
  let address = entry.slice(second + 1);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`"${entry}": port must be 1-65535`);
  }
  if (isIP(address) === 0) throw new Error(`"${entry}": "${address}" is not an IP address`);
  return { host, port, address };
}

/** Parses a comma-separated list of overrides, as in the agent's `RESOLVE` variable. */
export function parseResolveList(list: string): ResolveOverride[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseResolveOverride);
}

/** Finds the override for a host and port, if any. */
export function findOverride(
  overrides: readonly ResolveOverride[],
  host: string,
  port: number,
): ResolveOverride | undefined {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return overrides.find((o) => o.host === name && o.port === port);
}
