import type { ProbeError, ProbeErrorCode, ProbePhase } from '../observation/observation';

/**
 * A failure the probe has already classified (blocked address, bad redirect, TLS not trusted…).
 * Thrown inside the probe and turned into an {@link ProbeError} at its edge, so it never escapes
 * `probe()`.
 */
export class ProbeFailure extends Error {
  constructor(
    readonly code: ProbeErrorCode,
    readonly phase: ProbePhase,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }
}

/** Where a failure happened, to name it in the message. */
export interface FailureContext {
  phase: ProbePhase;
  url: string;
  /** `host:port` as in the URL. */
  authority: string;
  /** The address being connected to, once known. */
  address?: string;
  /** True when the overall deadline has passed: whatever the error says, the cause is the deadline. */
  timedOut: boolean;
  timeoutMs: number;
}

const CONNECTION_RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const DNS_FAILURE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ESERVFAIL']);
const CONNECTION_FAILED = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
  'EACCES',
  'EPERM',
  'ENOBUFS',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Turns anything a request threw into a {@link ProbeError}: the code says what kind of failure it
 * was, the message what the system said and which host or address it concerned.
 */
export function toProbeError(error: unknown, context: FailureContext): ProbeError {
  const where = context.address && context.address !== hostOf(context.authority)
    ? `${context.authority} (${context.address})`
    : context.authority;
  const base = { phase: context.phase, url: context.url };

  if (context.timedOut) {
    return { ...base, code: 'timeout', message: `no complete response from ${where} within ${context.timeoutMs} ms (during ${context.phase})` };
  }
  if (error instanceof ProbeFailure) {
    return { code: error.code, phase: error.phase, url: context.url, message: error.message };
  }

  const code = errorCode(error);
  const detail = errorMessage(error);
  if (code === 'ECONNREFUSED') return { ...base, code: 'connection_refused', message: `${where} refused the connection` };
  if (DNS_FAILURE.has(code) || context.phase === 'dns') return { ...base, code: 'dns_failure', message: `${hostOf(context.authority)} did not resolve (${code || detail})` };
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return { ...base, code: 'headers_too_large', message: `response headers from ${where} exceed the size bound` };
  }
  if (code.startsWith('HPE_')) return { ...base, code: 'protocol_error', message: `invalid HTTP from ${where}: ${detail} (${code})` };
  if (TIMEOUTS.has(code)) return { ...base, code: 'timeout', message: `${where}: ${detail}` };
  if (context.phase === 'tls' || isTlsCode(code)) {
    return { ...base, code: 'tls_error', message: `TLS with ${where} failed: ${detail}${code ? ` (${code})` : ''}` };
  }
  if (CONNECTION_RESET.has(code)) {
    return { ...base, code: 'connection_reset', message: `${where} closed the connection before a complete response: ${detail}` };
  }
  if (CONNECTION_FAILED.has(code) || context.phase === 'connect') {
    return { ...base, code: 'connection_failed', message: `could not connect to ${where}: ${detail}${code ? ` (${code})` : ''}` };
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_INFO') {
    return { ...base, code: 'protocol_error', message: `invalid HTTP from ${where}: ${detail}` };
  }
  if (context.phase === 'body' && code === 'Z_DATA_ERROR') {
    return { ...base, code: 'protocol_error', message: `body from ${where} could not be decoded: ${detail}` };
  }
  // Anything else that a socket or parser produced mid-exchange: the target did not give a complete response.
  return { ...base, code: 'protocol_error', message: `request to ${where} failed: ${detail}${code ? ` (${code})` : ''}` };
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.includes('CERT') ||
    code === 'EPROTO' ||
    code === 'UND_ERR_PRX_TLS'
  );
}

/** The `code` property Node and undici put on their errors, or `''`. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hostOf(authority: string): string {
  const colon = authority.lastIndexOf(':');
  const host = colon > 0 && !authority.endsWith(']') ? authority.slice(0, colon) : authority;
  return host.replace(/^\[|\]$/g, '');
}
