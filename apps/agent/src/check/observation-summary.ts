import { isCredentialHeader, REDACTED, redactUrl, type Observation } from '@crosscheck/checks';
import type { CheckJob, ObservationSummary } from '@crosscheck/contract';

/**
 * Response headers kept in a result: the cache evidence, who served it, and the validators. The
 * rest (cookies, tokens, anything a target chooses to send) stays at the agent.
 */
export const SUMMARY_HEADERS: readonly string[] = [
  'age',
  'x-cache',
  'x-cache-status',
  'cf-cache-status',
  'cache-status',
  'cache-control',
  'via',
  'x-served-by',
  'x-varnish',
  'warning',
  'server',
  'date',
  'last-modified',
  'etag',
  'content-type',
  'location',
];

/** The kept headers that are credentials (none today; the list may change): always redacted. */
const SUMMARY_CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(SUMMARY_HEADERS.filter((name) => isCredentialHeader(name)));

/** A target controls its header values: a result carries at most this much of each. */
export const MAX_SUMMARY_HEADER_CHARS = 512;

/** The facts of an observation worth sending to the coordinator: timings, kept headers, validators; no body. */
export function summariseObservation(observation: Observation, previous?: CheckJob['previous']): ObservationSummary {
  const headers: Record<string, string> = {};
  const received = observation.response?.headers ?? {};
  for (const name of SUMMARY_HEADERS) {
    const value = received[name];
    // Redacted as `redactHeaders` would (no credential header is in the list, URLs lose their
    // userinfo), without its defineProperty per header: every name here is a fixed, ordinary one.
    if (value !== undefined) headers[name] = SUMMARY_CREDENTIAL_HEADERS.has(name) ? REDACTED : redactUrl(value.slice(0, MAX_SUMMARY_HEADER_CHARS));
  }

  const { dns, connect, tls, firstByte, total } = observation.timings;
  const summary: ObservationSummary = {
    // A result is stored and shown: URL userinfo (a redirect's Location may carry some) stays here.
    url: redactUrl(observation.url),
    finalUrl: redactUrl(observation.finalUrl),
    timings: {
      total,
      ...(dns !== undefined ? { dns } : {}),
      ...(connect !== undefined ? { connect } : {}),
      ...(tls !== undefined ? { tls } : {}),
      ...(firstByte !== undefined ? { firstByte } : {}),
    },
    headers,
  };
  if (observation.remoteAddress !== undefined) summary.remoteAddress = observation.remoteAddress;
  if (observation.tls !== undefined) summary.tlsDaysRemaining = observation.tls.daysRemaining;

  const validators = validatorsOf(observation, previous);
  if (validators) summary.validators = validators;
  return summary;
}

/**
 * Validators for the next conditional request. A `304 Not Modified` may omit them; the content is
 * unchanged then, so the previous validators still hold and are carried forward.
 */
function validatorsOf(observation: Observation, previous?: CheckJob['previous']): ObservationSummary['validators'] {
  const response = observation.response;
  if (!response) return undefined;
  const notModified = response.status === 304;
  // Over-long validators are dropped, not cut: a cut ETag would never match, and the job schema bounds them.
  const fit = (value: string | undefined, max: number) => (value !== undefined && value.length <= max ? value : undefined);
  const etag = fit(response.headers['etag'] ?? (notModified ? previous?.etag : undefined), 1024);
  const lastModified = fit(response.headers['last-modified'] ?? (notModified ? previous?.lastModified : undefined), 256);
  if (etag === undefined && lastModified === undefined) return undefined;
  return {
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
  };
}
