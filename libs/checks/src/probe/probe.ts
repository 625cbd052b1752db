import type { Dispatcher } from 'undici';
import type { Observation } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { ResolveOverride } from '../spec/resolve-override';
import { AddressPolicy } from './address-policy';
import { bypassRequestOf } from './bypass-request';
import { withValidators, type PreviousValidators } from './conditional-request';
import { Deadline } from './deadline';
import { initialRequestOf } from './hop-request';
import { performRequest, type RequestRun } from './perform-request';

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
  };
  try {
    const request = initialRequestOf(spec, url);
    const primary = spec.conditional ? withValidators(request, options.previous) : { request };
    const [outcome, bypass] = await Promise.all([
      performRequest(primary.request, run, primary.conditional),
      spec.cacheBypass ? performRequest(bypassRequestOf(request), run) : Promise.resolve(undefined),
    ]);
    // The outcome is this probe's own object: completed in place rather than copied.
    const observation = outcome as Observation;
    observation.startedAt = startedAt;
    observation.bodyCapBytes = spec.maxBodyBytes;
    if (bypass) observation.bypass = bypass;
    return observation;
  } finally {
    deadline.dispose();
  }
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
