import type { ProbeError, ProbeErrorCode } from '../observation/observation';
import type { Cause, CauseCode } from '../verdict/verdict';

const CAUSE_OF_ERROR: Record<ProbeErrorCode, CauseCode> = {
  timeout: 'timeout',
  dns_failure: 'dns_failure',
  connection_refused: 'connection_refused',
  connection_reset: 'connection_failed',
  connection_failed: 'connection_failed',
  tls_error: 'tls_error',
  blocked_target: 'blocked_target',
  redirect_loop: 'redirect_failure',
  too_many_redirects: 'redirect_failure',
  invalid_redirect: 'redirect_failure',
  headers_too_large: 'protocol_error',
  protocol_error: 'protocol_error',
};

/** A probe that got no complete response is down, with the probe's own error as the cause. */
export function causeOfProbeError(error: ProbeError, redirects: number): Cause {
  return {
    code: CAUSE_OF_ERROR[error.code],
    severity: 'down',
    message: `${error.message} (${error.code} during ${error.phase}${redirects > 0 ? ` after ${redirects} redirect${redirects === 1 ? '' : 's'}` : ''})`,
    evidence: { probeError: error.code, phase: error.phase, url: error.url, redirects },
  };
}
