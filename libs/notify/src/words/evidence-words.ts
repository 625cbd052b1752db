import type { CauseCode } from '@crosscheck/checks';
import type { IncidentEventData } from '@crosscheck/contract';
import { listWords } from './region-list';
import { latencyWords, spanWords } from './time-words';

/** One region of a round as an event carries it: verdict, reading, causes and key evidence. */
export type RegionDigest = IncidentEventData['regions'][string];

/**
 * Down causes in the order they explain an answer best: a proxy's own page names who answered; a
 * health document names the failed dependency; a probe error says how the connection failed; a bare
 * status mismatch says least.
 */
const DOWN_PREFERENCE: readonly CauseCode[] = [
  'lb_error_page',
  'health_failed',
  'dns_failure',
  'connection_refused',
  'timeout',
  'tls_error',
  'connection_failed',
  'protocol_error',
  'soft_error',
  'envelope_failure',
  'auth_wall',
  'redirect_failure',
  'json_assertion_failed',
  'body_mismatch',
  'header_mismatch',
  'status_mismatch',
  'stale_cache',
];

const DEGRADED_PREFERENCE: readonly CauseCode[] = ['health_degraded', 'slow', 'stale_cache', 'cert_expiring', 'soft_error'];

/** Caches named by the headers that gave them away, most specific first. */
const CACHE_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/varnish/i, 'Varnish'],
  [/^cf-cache-status:/i, 'Cloudflare'],
  [/cloudfront/i, 'CloudFront'],
  [/fastly|^x-served-by: cache-/i, 'Fastly'],
  [/akamai/i, 'Akamai'],
  [/^x-vercel-cache:/i, 'Vercel'],
  [/^x-nf-cache-status:/i, 'Netlify'],
  [/^x-cache-status:|^x-proxy-cache:|nginx/i, 'an nginx cache'],
  [/squid/i, 'Squid'],
];

/** Who served a cached answer, from its cache signals (`via: 1.1 varnish` names Varnish); `a cache` when none says. */
export function cacheName(signals: readonly string[]): string {
  for (const [pattern, name] of CACHE_NAMES) if (signals.some((signal) => pattern.test(signal))) return name;
  return 'a cache';
}

/** A cause's message without the `(code during phase)` tail the probe adds for machines. */
function plainMessage(message: string): string {
  return message.replace(/\s*\([a-z_]+ during [a-z]+\)$/, '');
}

/** `db and redis` from `health document (spring-actuator) reports DOWN: db, redis`; `null` when no dependency is named. */
export function failedDependencies(message: string): string[] | null {
  const match = /(?:reports [^:]+|but (?:failed|degraded)): (.+)$/.exec(message);
  if (!match) return null;
  const names = match[1]!.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return names.length > 0 ? names : null;
}

function healthWords(message: string, state: 'down' | 'degraded'): string {
  const names = failedDependencies(message);
  if (!names) return `the health document says it is ${state} (${message})`;
  return `the health document says ${listWords(names)} ${names.length === 1 ? 'is' : 'are'} ${state}`;
}

/** `connection refused`, `timed out after 10 s`: what a request hit instead of a response. */
export function probeErrorWords(code: string, totalMs: number | null, message?: string): string {
  switch (code) {
    case 'connection_refused':
      return 'connection refused';
    case 'timeout':
      return totalMs !== null ? `timed out after ${latencyWords(totalMs)}` : 'timed out';
    case 'dns_failure':
      return 'DNS lookup failed';
    case 'tls_error':
      return message ? `TLS failed: ${plainMessage(message)}` : 'TLS failed';
    case 'connection_reset':
      return 'connection reset';
    case 'connection_failed':
      return message ? `connection failed: ${plainMessage(message)}` : 'connection failed';
    case 'protocol_error':
      return 'not a valid HTTP answer';
    default:
      return code.replace(/_/g, ' ');
  }
}

function pick(digest: RegionDigest, order: readonly CauseCode[], severity: 'down' | 'degraded') {
  const causes = digest.causes.filter((cause) => cause.severity === severity);
  return [...causes].sort((a, b) => rank(order, a.code) - rank(order, b.code))[0];
}

function rank(order: readonly CauseCode[], code: CauseCode): number {
  const at = order.indexOf(code);
  return at === -1 ? order.length : at;
}

/** `the bypass got 503 from Varnish`, `the bypass failed: connection refused`. */
function bypassWords(digest: RegionDigest): string {
  const { bypassError, bypassStatus, bypassErrorPageVendor } = digest.evidence;
  if (bypassError !== null) return `the bypass failed: ${probeErrorWords(bypassError, null)}`;
  if (bypassStatus === null) return 'the bypass got no response';
  return bypassErrorPageVendor !== null ? `the bypass got ${bypassStatus} from ${bypassErrorPageVendor}` : `the bypass got ${bypassStatus}`;
}

function cachedWords(digest: RegionDigest): string {
  const { httpStatus, cache } = digest.evidence;
  const aged = cache.ageSeconds !== null && cache.ageSeconds > 0 ? ` aged ${spanWords(cache.ageSeconds)}` : '';
  return `${cacheName(cache.signals)} served a ${httpStatus ?? 'cached answer'}${aged}`;
}

function downWords(digest: RegionDigest): string {
  const cause = pick(digest, DOWN_PREFERENCE, 'down');
  const { httpStatus, errorPageVendor, totalMs } = digest.evidence;
  if (!cause) return httpStatus !== null ? `down (HTTP ${httpStatus})` : 'down';
  switch (cause.code) {
    case 'lb_error_page': {
      const who = errorPageVendor ?? 'a proxy';
      if (httpStatus === null) return `${who}'s own error page`;
      return httpStatus < 400 ? `${who}'s own error page, served with status ${httpStatus}` : `${who}'s own ${httpStatus} error page`;
    }
    case 'health_failed':
      return healthWords(cause.message, 'down');
    case 'dns_failure':
    case 'connection_refused':
    case 'timeout':
    case 'tls_error':
    case 'connection_failed':
    case 'protocol_error':
      return probeErrorWords(digest.evidence.probeError ?? cause.code, totalMs, cause.message);
    case 'status_mismatch':
      return httpStatus !== null ? `HTTP ${httpStatus}` : plainMessage(cause.message);
    case 'soft_error':
    case 'envelope_failure':
      return `${httpStatus ?? 'an answer'} with an error in the body: ${plainMessage(cause.message)}`;
    case 'auth_wall':
      return `a login wall instead of the page (${plainMessage(cause.message)})`;
    case 'stale_cache':
      return `${cachedWords(digest)}; ${bypassWords(digest)}`;
    default:
      return plainMessage(cause.message);
  }
}

function degradedWords(digest: RegionDigest): string {
  const cause = pick(digest, DEGRADED_PREFERENCE, 'degraded');
  if (!cause) return 'degraded';
  switch (cause.code) {
    case 'health_degraded':
      return healthWords(cause.message, 'degraded');
    case 'slow':
      return digest.evidence.totalMs !== null ? `slow: ${latencyWords(digest.evidence.totalMs)}` : plainMessage(cause.message);
    case 'stale_cache':
      return `${cachedWords(digest)}, stale by its own account`;
    default:
      return plainMessage(cause.message);
  }
}

/**
 * What one region saw, in a few words: `Varnish served a 200 aged 3 h; the bypass got 503 from
 * Varnish`, `connection refused`, `nginx's own 502 error page`, `the health document says db and
 * redis are down`, `slow: 4.8 s`, `no answer (…)`. Built from the digest's reading, causes and key
 * evidence only, so it says what the coordinator saw and nothing it did not.
 */
export function regionWords(digest: RegionDigest): string {
  switch (digest.reading) {
    case 'missing':
      return digest.note !== null ? `no answer: ${digest.note}` : 'no answer';
    case 'refused':
      return digest.note !== null ? `probe refused: ${digest.note}` : 'probe refused by the agent’s address policy';
    case 'down_behind_cache':
      return `${cachedWords(digest)}; ${bypassWords(digest)}`;
    case 'down_direct':
      return downWords(digest);
    case 'cached_unverified':
      return `${cachedWords(digest)} that no bypass request verified`;
    case 'fresh':
      break;
  }
  if (digest.status === 'down') return downWords(digest);
  if (digest.status === 'degraded') return degradedWords(digest);
  const { httpStatus, totalMs, cache } = digest.evidence;
  if (cache.hit === true) return `up (${cacheName(cache.signals)} served a ${httpStatus ?? 'cached answer'}; the bypass found the origin healthy)`;
  return httpStatus !== null && totalMs !== null ? `up (${httpStatus} in ${latencyWords(totalMs)})` : 'up';
}
