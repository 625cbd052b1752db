import type { Dispatcher } from 'undici';
import type { AddressOutcome, Observation } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { ResolveOverride } from '../spec/resolve-override';
import { AddressPolicy } from './address-policy';
import { bypassRequestOf } from './bypass-request';
import { withValidators, type PreviousValidators } from './conditional-request';
import { Deadline } from './deadline';
import { bareHostname, initialRequestOf, portOf, type HopRequest } from './hop-request';
import { performRequest, type RequestRun } from './perform-request';
import { fixedAddressOf, sharedLookup, type HostResolver } from './resolve-address';

/** The body cap of a per-address request: enough to judge it, little memory for up to eight of them. */
export const ADDRESS_BODY_CAP_BYTES = 64 * 1024;

/** How an agent runs its probes; everything here is the agent's, not the monitor's, to decide. */
export interface ProbeOptions {
  /**
   * Agent-level curl-style overrides (`host:port` → address). The spec's own `resolve` entries
   * win when both name the same `host:port`.
   */
  resolve?: ResolveOverride[];
  /**
   * Allow loopback (127/8, ::1), RFC 1918, CGNAT (100.64/10), IPv6 ULA (fc00::/7) and 0.0.0.0/8.
   * Default `true`: private agents exist to watch private networks.
   */
  allowPrivate?: boolean;
  /**
   * Allow link-local (169.254/16, fe80::/10) and the cloud metadata addresses (100.100.100.200,
   * fd00:ec2::254, 168.63.129.16), IPv4-mapped forms included. Default `false`.
   */
  allowLinkLocal?: boolean;
  /** Validators from the previous observation, sent when the spec asks for conditional requests. */
  previous?: PreviousValidators;
  /** The probe clock (epoch ms) for `startedAt` and certificate expiry. Default `Date.now`. Phase timings use a monotonic clock. */
  now?: () => number;
  /**
   * Used as is instead of the probe's own per-hop connections, e.g. an undici `MockAgent` in tests
   * or a proxy agent. The probe then cannot see DNS, sockets or TLS: the address policy applies
   * only to IP-literal hosts, resolve overrides are not applied, TLS is the dispatcher's (no
   * certificate facts, `tls.verify`/`tls.ca` not applied), only `firstByte` and `total` are
   * timed, and the header bound is checked after the dispatcher has parsed the headers.
   * Redirects, the body cap, decoding, the deadline and the bypass request work as usual.
   */
  dispatcher?: Dispatcher;
  /**
   * Resolves host names instead of the system lookup (`getaddrinfo`), all addresses (A and AAAA)
   * in preference order; e.g. an agent configured with its own DNS servers. Not used for IP
   * literals or resolve overrides, nor with an injected `dispatcher`.
   */
  resolver?: HostResolver;
}

/**
 * Requests a monitor's URL as its spec says and reports what was seen, as plain data.
 *
 * Never throws because of the target: every failure (DNS, refused, reset, TLS, blocked address,
 * redirects, oversized headers, undecodable body, the deadline) is `observation.error`, with the
 * phase it happened in. It throws only on programmer errors (a spec that was not compiled).
 *
 * One deadline (`spec.timeoutMs`) covers everything from DNS to the last byte of the last hop,
 * for the primary request and for the cache-bypassing one (`spec.cacheBypass`), which runs
 * concurrently on its own connections.
 *
 * A host name is resolved to all its addresses; the primary request connects by Happy Eyeballs
 * (whichever address answers first). When there are several and `spec.addresses.checkEach`, each
 * of the first `spec.addresses.max` is also requested directly (first hop only, body capped at
 * `ADDRESS_BODY_CAP_BYTES`), concurrently and under the same deadline: `observation.addresses`.
 */
export async function probe(spec: CompiledSpec, options: ProbeOptions = {}): Promise<Observation> {
  const url = probeableUrl(spec);
  const now = options.now ?? Date.now;
  const startedAt = now();
  const deadline = new Deadline(spec.timeoutMs);
  const run: RequestRun = {
    deadline,
    // findOverride takes the first match: the monitor's own entries are listed first, so they win.
    overrides: [...spec.resolve, ...(options.resolve ?? [])],
    policy: new AddressPolicy({
      ...(options.allowPrivate !== undefined ? { allowPrivate: options.allowPrivate } : {}),
      ...(options.allowLinkLocal !== undefined ? { allowLinkLocal: options.allowLinkLocal } : {}),
    }),
    tls: { verify: spec.tls.verify, ...(spec.tls.ca !== undefined ? { ca: spec.tls.ca } : {}) },
    maxHeaderBytes: spec.maxHeaderBytes,
    now: startedAt,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    followRedirects: spec.followRedirects,
    maxRedirects: spec.maxRedirects,
    maxBodyBytes: spec.maxBodyBytes,
    forwardHeadersCrossOrigin: spec.forwardHeadersCrossOrigin === true,
    lookup: sharedLookup(options.resolver),
    http2: spec.http2 !== false,
  };
  try {
    const request = initialRequestOf(spec, url);
    const primary = spec.conditional ? withValidators(request, options.previous) : { request };
    const [outcome, bypass, addresses] = await Promise.all([
      performRequest(primary.request, run, primary.conditional),
      spec.cacheBypass ? performRequest(bypassRequestOf(request), run) : Promise.resolve(undefined),
      checksEachAddress(spec, url, run) ? requestEachAddress(primary.request, run, spec, primary.conditional) : Promise.resolve(undefined),
    ]);
    // The outcome is this probe's own object: completed in place rather than copied.
    const observation = outcome as Observation;
    observation.startedAt = startedAt;
    observation.bodyCapBytes = spec.maxBodyBytes;
    if (bypass) observation.bypass = bypass;
    if (addresses) observation.addresses = addresses;
    return observation;
  } finally {
    deadline.dispose();
  }
}

/** Per-address checks apply to a host name the probe itself resolves: not to literals, overrides or an injected dispatcher. */
function checksEachAddress(spec: CompiledSpec, url: URL, run: RequestRun): boolean {
  if (run.dispatcher || spec.addresses?.checkEach === false) return false;
  return fixedAddressOf(bareHostname(url), portOf(url), run.overrides) === undefined;
}

/**
 * The first hop of the user's request, made to each resolved address in turn (undefined when the
 * name has one address, or none: the primary request reports that). Never throws.
 */
async function requestEachAddress(
  request: HopRequest,
  run: RequestRun,
  spec: CompiledSpec,
  conditional: Parameters<typeof performRequest>[2],
): Promise<AddressOutcome[] | undefined> {
  let resolved;
  try {
    resolved = await run.deadline.race(run.lookup(bareHostname(request.url)));
  } catch {
    return undefined;
  }
  if (resolved.length < 2) return undefined;
  const each: RequestRun = { ...run, followRedirects: false, maxBodyBytes: Math.min(spec.maxBodyBytes, ADDRESS_BODY_CAP_BYTES) };
  return Promise.all(
    resolved.slice(0, spec.addresses?.max ?? 8).map(async (pin) => ({
      address: pin.address,
      family: pin.family,
      outcome: await performRequest(request, { ...each, pin }, conditional),
    })),
  );
}

/** The spec's URL, parsed (once per probe: the first hop's request takes it); throws on a spec that cannot be probed. */
function probeableUrl(spec: CompiledSpec): URL {
  let url: URL | undefined;
  try {
    url = new URL(spec.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`probe needs an absolute http(s) URL, got ${JSON.stringify(spec.url)}`);
  }
  if (!Number.isFinite(spec.timeoutMs) || spec.timeoutMs <= 0) throw new TypeError(`timeoutMs must be positive, got ${spec.timeoutMs}`);
  if (!Number.isInteger(spec.maxBodyBytes) || spec.maxBodyBytes < 0) throw new TypeError(`maxBodyBytes must be a non-negative integer`);
  if (!Array.isArray(spec.resolve)) throw new TypeError('spec.resolve must be compiled (ResolveOverride[]); use compileMonitorSpec');
  return url;
}
