/**
 * What a probe saw, as plain data. The probe is the only I/O in this library; everything that
 * judges an observation is a pure function over this shape, so an observation can be stored,
 * sent over a queue and evaluated again later with the same result.
 */

/** Why a probe could not obtain a complete response. */
export type ProbeErrorCode =
  /** The overall deadline (DNS through last byte) passed. */
  | 'timeout'
  /** The host name did not resolve. */
  | 'dns_failure'
  /** The target refused the TCP connection. */
  | 'connection_refused'
  /** The connection was reset or closed before a complete response. */
  | 'connection_reset'
  /** Any other socket-level failure (unreachable network, host down). */
  | 'connection_failed'
  /** The TLS handshake failed or the certificate was not trusted. */
  | 'tls_error'
  /** The resolved address is in a range this probe is not allowed to reach. */
  | 'blocked_target'
  /** A redirect pointed back at a URL already visited. */
  | 'redirect_loop'
  /** More redirects than the monitor allows. */
  | 'too_many_redirects'
  /** A redirect had no usable `Location`, or pointed at a non-HTTP scheme. */
  | 'invalid_redirect'
  /** The response headers exceeded the size bound. */
  | 'headers_too_large'
  /** The response was not valid HTTP, or its body could not be decoded. */
  | 'protocol_error';

/** The phase a probe was in when it failed: helps tell a DNS outage from a slow origin. */
export type ProbePhase = 'dns' | 'connect' | 'tls' | 'request' | 'headers' | 'body';

export interface ProbeError {
  code: ProbeErrorCode;
  /** Human-readable detail, e.g. the underlying system error. */
  message: string;
  phase: ProbePhase;
  /** The URL being requested when the error happened (differs from the monitor URL after redirects). */
  url: string;
}

/** Milliseconds spent in each phase, for the last hop of a request. Absent phases did not happen (reused connection, plain HTTP, failure before). */
export interface PhaseTimings {
  dns?: number;
  connect?: number;
  tls?: number;
  /** From sending the request to the first byte of the response headers. */
  firstByte?: number;
  /** From the start of the first hop to the last byte of the last hop (or the failure). */
  total: number;
}

/** Facts about the peer certificate of the last TLS hop. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** DNS and IP subject alternative names. */
  altNames: string[];
  validFrom: string;
  validTo: string;
  /** Whole days from the probe's clock to `validTo`; negative when expired. */
  daysRemaining: number;
  fingerprint256: string;
  /** Whether the chain and host name verified. */
  authorized: boolean;
  /** OpenSSL's reason when not authorized, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  authorizationError?: string;
  protocol?: string;
}

/** One hop of a redirect chain. */
export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

/** A received response, with its body capped and decoded. */
export interface ResponseFacts {
  status: number;
  /** Header names in lower case; repeated headers joined with `, ` (`set-cookie` with `\n`). */
  headers: Record<string, string>;
  /** Body decoded as UTF-8 text (after content decoding), at most `bodyCapBytes` bytes. */
  body: string;
  /** Bytes of body read after decompression (up to the cap). */
  bodyBytes: number;
  /** True when the body was longer than the cap and reading stopped there. */
  bodyTruncated: boolean;
  /** The `Content-Encoding` that was decoded, if any. */
  contentEncoding?: string;
  /** The HTTP version the response came over: '1.1' (or '1.0' from an old server), or '2' when ALPN chose h2. */
  httpVersion?: string;
}

/** What one request (with its redirects) produced. */
export interface RequestOutcome {
  /** The URL requested first. */
  url: string;
  method: string;
  /** The URL of the last hop. */
  finalUrl: string;
  redirects: RedirectHop[];
  /** The address the last hop connected to. */
  remoteAddress?: string;
  response?: ResponseFacts;
  error?: ProbeError;
  timings: PhaseTimings;
  tls?: CertificateFacts;
  /** Validators sent with a conditional request, if any. */
  conditional?: { ifNoneMatch?: string; ifModifiedSince?: string };
}

/**
 * Everything one probe of one monitor saw: the request as users make it, and beside it (for
 * GET/HEAD, by default) the same request made to bypass caches.
 */
export interface Observation extends RequestOutcome {
  /** The probe's clock (epoch ms) when the request started; the reference for `Date` skew and certificate expiry. */
  startedAt: number;
  /** The cache-bypassing request (unique query parameter, `Cache-Control: no-cache`), when one was made. */
  bypass?: RequestOutcome;
  /** The body cap that applied, so a reader knows what `bodyTruncated` means. */
  bodyCapBytes: number;
  /**
   * When the host name resolved to more than one address (and `spec.addresses.checkEach`): the
   * same first-hop request made to each of the first `spec.addresses.max` addresses, in resolver
   * order, beside the user-path one (which connected by Happy Eyeballs to whichever answered).
   */
  addresses?: AddressOutcome[];
}

/** One resolved address of the monitor's host, requested directly (no redirects followed). */
export interface AddressOutcome {
  address: string;
  family: 4 | 6;
  outcome: RequestOutcome;
}
