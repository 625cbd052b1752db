/**
 * The judgement of one observation: `up | degraded | down`, with every reason as a code plus the
 * values that were seen, and every expectation's result.
 */

export type VerdictStatus = 'up' | 'degraded' | 'down';

/** How much a cause weighs. `info` explains something seen without changing the status. */
export type CauseSeverity = 'down' | 'degraded' | 'info';

/** Every reason a verdict can give. Stable strings: other tools match on them. */
export const CAUSE_CODES = [
  'status_mismatch',
  'body_mismatch',
  'json_assertion_failed',
  'header_mismatch',
  'health_degraded',
  'health_failed',
  'soft_error',
  'envelope_failure',
  'lb_error_page',
  'stale_cache',
  'cached_response',
  'bypass_inconclusive',
  'auth_wall',
  'redirect_failure',
  'slow',
  'timeout',
  'dns_failure',
  'connection_refused',
  'connection_failed',
  'tls_error',
  'cert_expiring',
  'blocked_target',
  'protocol_error',
  'body_truncated',
  'content_changed',
  'operator_page',
  'address_down',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

/** Values seen that support a cause: header values, the matched pattern, the vendor named, etc. */
export type Evidence = Record<string, string | number | boolean | null | string[] | undefined>;

export interface Cause {
  code: CauseCode;
  severity: CauseSeverity;
  /** One line a person can read in a page: what was wrong, with the values. */
  message: string;
  evidence: Evidence;
}

/** The result of one expectation, showing the value seen (in the manner of `[STATUS] (500) in 200-299`). */
export interface ExpectationResult {
  /** The expectation's kind, e.g. `status`, `body.contains`, `json`, `header`, `latency`. */
  kind: string;
  /** `true` passed, `false` failed, `null` not evaluated (e.g. no body on a 304). */
  passed: boolean | null;
  /** A line showing what was expected and what was seen. */
  description: string;
  expected: string;
  actual: string | null;
}

/** The few facts a person or a reconciler needs first, without digging through the observation. */
/**
 * What tells one copy of a response from the next: the HTTP validators, a version the body names
 * and a hash of the body. Sent with each verdict (`evidence.content`) so regions can be compared
 * in one round, and remembered in the baseline so content that stops advancing can be seen.
 */
export interface ContentValidators {
  /** `ETag`, clipped to `CONTENT_LIMITS.etag` characters. */
  etag?: string;
  /** `Last-Modified` as sent (clipped to `CONTENT_LIMITS.lastModified`). */
  lastModified?: string;
  /** A version the JSON body names (`version`, `build`, `commit`, `app.version`, `git.commit.id`...), clipped to `CONTENT_LIMITS.version`. */
  version?: string;
  /** `bodyHashOf` of the body read: 13 hex digits of a 52-bit hash (two 32-bit FNV-1a-style lanes). */
  bodyHash?: string;
}

export interface KeyEvidence {
  httpStatus: number | null;
  finalUrl: string;
  totalMs: number;
  redirects: number;
  /** Whether the response came from a cache, and what said so. */
  cache: CacheFacts;
  /** Status of the cache-bypassing request, when one was made; `null` when it failed to get a response. */
  bypassStatus?: number | null;
  /** Vendor of a proxy or load balancer error page, when one was recognised. */
  errorPageVendor?: string;
  /** Error code of a failed probe. */
  probeError?: string;
  /** The validators of the primary response, for cross-region comparison (`version_skew`). */
  content?: ContentValidators;
  /** The HTTP version the primary response came over: `1.1` or `2`. */
  protocol?: string;
  /** Per-address results when the name resolved to more than one address (see `address_down`). */
  addresses?: AddressResult[];
}

/** One resolved address of the monitored name, probed on its own. */
export interface AddressResult {
  /** `127.0.0.11` or `::1`. */
  address: string;
  family: 4 | 6;
  /** Answered and was not judged down. */
  ok: boolean;
  httpStatus: number | null;
  /** Probe error code when no response, e.g. `connection_refused`. */
  error: string | null;
  totalMs: number;
}

export interface CacheFacts {
  /** `true` when headers show the response was served from a cache. */
  hit: boolean;
  /** Seconds the content has been cached or is old, when known (from `Age`, or `Date` skew). */
  ageSeconds?: number;
  /** Header lines that gave the evidence, e.g. `x-cache: HIT`. */
  signals: string[];
  /** RFC 9111 reading of the primary response, when it had caching headers or a cache hit. */
  freshness?: Freshness;
}

/** RFC 9111 reading of a response's freshness, for a shared cache, on the probe's clock. */
export interface Freshness {
  /** RFC 9111 freshness lifetime in seconds (s-maxage > max-age > Expires-Date > heuristic), null when none can be computed. */
  lifetimeSeconds: number | null;
  /** current_age per RFC 9111 §4.2.3 (Age, Date against the probe clock), seconds. */
  ageSeconds: number;
  /** `stale_while_revalidate`: stale, inside stale-while-revalidate; `stale_if_error`: stale, inside stale-if-error; `stale`: past everything; `unknown`: no lifetime. */
  state: FreshnessState;
}

/** The states of {@link Freshness}, for the wire schema. */
export const FRESHNESS_STATES = ['fresh', 'stale_while_revalidate', 'stale_if_error', 'stale', 'unknown'] as const;
export type FreshnessState = (typeof FRESHNESS_STATES)[number];

export interface Verdict {
  status: VerdictStatus;
  causes: Cause[];
  expectations: ExpectationResult[];
  evidence: KeyEvidence;
}

const SEVERITY_RANK: Record<CauseSeverity, number> = { info: 0, degraded: 1, down: 2 };

/** The verdict status implied by a list of causes: the worst severity wins. */
export function statusOf(causes: readonly Cause[]): VerdictStatus {
  let worst = 0;
  for (const cause of causes) worst = Math.max(worst, SEVERITY_RANK[cause.severity]);
  return worst === 2 ? 'down' : worst === 1 ? 'degraded' : 'up';
}
