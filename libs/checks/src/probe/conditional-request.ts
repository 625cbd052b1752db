import type { RequestOutcome } from '../observation/observation';
import type { HopRequest } from './hop-request';

/** Validators remembered from a previous observation of the same monitor. */
export interface PreviousValidators {
  etag?: string;
  lastModified?: string;
}

/** A request made conditional, and the validators it carries (for `RequestOutcome.conditional`). */
export interface ConditionalRequest {
  request: HopRequest;
  conditional?: NonNullable<RequestOutcome['conditional']>;
}

/**
 * Adds `If-None-Match` / `If-Modified-Since` from the previous validators. Without validators the
 * request is unchanged and `conditional` is absent: a first check has nothing to revalidate.
 */
export function withValidators(request: HopRequest, previous: PreviousValidators | undefined): ConditionalRequest {
  const ifNoneMatch = nonEmpty(previous?.etag);
  const ifModifiedSince = nonEmpty(previous?.lastModified);
  if (ifNoneMatch === undefined && ifModifiedSince === undefined) return { request };
  const headers = { ...request.headers };
  if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
  if (ifModifiedSince !== undefined) headers['if-modified-since'] = ifModifiedSince;
  // The validators are the probe's, not the monitor's (they replace any it set).
  const userHeaders = request.userHeaders.filter(
    (name) => !(name === 'if-none-match' && ifNoneMatch !== undefined) && !(name === 'if-modified-since' && ifModifiedSince !== undefined),
  );
  return {
    request: { ...request, headers, userHeaders },
    conditional: {
      ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
      ...(ifModifiedSince !== undefined ? { ifModifiedSince } : {}),
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
