import type { CauseCode } from '../api/api-types';

/** Each cause code of a verdict in a few words (the cause's own message has the values). */
export const CAUSE_WORDS: Readonly<Record<CauseCode, string>> = {
  status_mismatch: 'unexpected status',
  body_mismatch: 'body does not match',
  json_assertion_failed: 'JSON assertion failed',
  header_mismatch: 'header does not match',
  health_degraded: 'health document: degraded dependency',
  health_failed: 'health document: failed dependency',
  soft_error: 'error page served as 200',
  envelope_failure: '"success": false',
  lb_error_page: "a proxy's own error page",
  stale_cache: 'stale cache',
  cached_response: 'served from a cache',
  bypass_inconclusive: 'bypass request inconclusive',
  auth_wall: 'login wall',
  redirect_failure: 'redirect failed',
  slow: 'slow',
  timeout: 'timed out',
  dns_failure: 'DNS failure',
  connection_refused: 'connection refused',
  connection_failed: 'connection failed',
  tls_error: 'TLS error',
  cert_expiring: 'certificate expiring',
  blocked_target: 'target refused by the agent',
  protocol_error: 'protocol error',
  body_truncated: 'body cut at the size limit',
  content_changed: 'not what it looked like when healthy',
  operator_page: "an operator's error or maintenance text",
  address_down: 'one of its addresses is down',
};

/** The words of a cause code (a code this build does not know is shown as it is). */
export function causeWords(code: string): string {
  return (CAUSE_WORDS as Readonly<Record<string, string>>)[code] ?? code.replace(/_/g, ' ');
}

/** Evidence members in words, for the tables of a cause's values. */
const EVIDENCE_LABELS: Readonly<Record<string, string>> = {
  httpStatus: 'status users got',
  status: 'status',
  bypassStatus: 'bypass request status',
  bypassError: 'bypass request error',
  bypassUrl: 'bypass request URL',
  bypassCauses: 'bypass request causes',
  bypassErrorPageVendor: 'error page behind the cache',
  cacheHit: 'from a cache',
  ageSeconds: 'age (s)',
  signals: 'cache signals',
  vendor: 'vendor',
  page: 'page',
  failed: 'failed dependencies',
  degraded: 'degraded dependencies',
  outputs: 'dependency outputs',
  overall: 'overall status',
  format: 'document format',
  maxContentAgeSeconds: 'max content age (s)',
  totalMs: 'total (ms)',
  thresholdMs: 'threshold (ms)',
  expected: 'expected',
  actual: 'seen',
};

/** A member of a cause's evidence in words (unknown ones as they are). */
export function evidenceLabel(key: string): string {
  return EVIDENCE_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
