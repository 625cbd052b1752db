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
  'operator_page',
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
}

export interface CacheFacts {
  /** `true` when headers show the response was served from a cache. */
  hit: boolean;
  /** Seconds the content has been cached or is old, when known (from `Age`, or `Date` skew). */
  ageSeconds?: number;
  /** Header lines that gave the evidence, e.g. `x-cache: HIT`. */
  signals: string[];
}

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
