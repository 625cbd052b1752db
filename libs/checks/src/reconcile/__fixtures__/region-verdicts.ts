/**
 * Builders for per-region verdicts in reconcile and incident tests. Each builds what `evaluate`
 * gives for one realistic situation (same causes, severities and evidence keys), so a test names
 * the situation, not the fields. `reconcile-evaluate.spec.ts` checks the real `evaluate` agrees.
 */
import type { AddressResult, Cause, ContentValidators, Freshness, KeyEvidence } from '../../verdict/verdict';
import type { RegionVerdict } from '../round-verdicts';

const URL = 'https://shop.example.com/';

function key(overrides: Partial<KeyEvidence> = {}): KeyEvidence {
  return { httpStatus: 200, finalUrl: URL, totalMs: 120, redirects: 0, cache: { hit: false, signals: [] }, bypassStatus: 200, ...overrides };
}

/** A plain 200 that the bypass request got too: no cache in the way. */
export function up(): RegionVerdict {
  return { status: 'up', causes: [], evidence: key() };
}

/** A cache hit whose bypass request is healthy: genuinely up. */
export function upFromCacheVerified(ageSeconds = 40): RegionVerdict {
  const signals = [`age: ${ageSeconds}`, 'x-cache: HIT'];
  return {
    status: 'up',
    causes: [
      {
        code: 'cached_response',
        severity: 'info',
        message: `served from a cache (${signals.join('; ')}); the cache-bypassing request is healthy`,
        evidence: { signals, ageSeconds, cacheHit: true, bypassStatus: 200 },
      },
    ],
    evidence: key({ cache: { hit: true, ageSeconds, signals } }),
  };
}

/** A cache hit and no bypass request (the monitor turned it off): nothing vouches for the origin. */
export function upFromCacheUnverified(ageSeconds = 600): RegionVerdict {
  const signals = [`age: ${ageSeconds}`, 'cf-cache-status: HIT'];
  const { bypassStatus: _none, ...evidence } = key({ cache: { hit: true, ageSeconds, signals } });
  return {
    status: 'up',
    causes: [
      {
        code: 'cached_response',
        severity: 'info',
        message: `served from a cache (${signals.join('; ')}); no cache-bypassing request was made`,
        evidence: { signals, ageSeconds, cacheHit: true },
      },
    ],
    evidence,
  };
}

/** A cache hit whose bypass request was rejected with 404 (unknown query parameter): proves nothing. */
export function upBypassInconclusive(): RegionVerdict {
  const signals = ['x-cache: HIT'];
  return {
    status: 'up',
    causes: [
      {
        code: 'bypass_inconclusive',
        severity: 'info',
        message: 'the cache-bypassing request answered 404; the site may reject unknown query parameters, so it proves nothing about the origin',
        evidence: { signals, ageSeconds: null, cacheHit: true, httpStatus: 200, bypassStatus: 404, bypassError: null, bypassCauses: ['status_mismatch'] },
      },
    ],
    evidence: key({ cache: { hit: true, signals }, bypassStatus: 404 }),
  };
}

export interface BehindCacheInput {
  /** What the bypass hit instead of a response, e.g. `connection_refused`. */
  bypassError?: string;
  /** The bypass's status when it got one, e.g. 502. */
  bypassStatus?: number;
  /** Vendor of the error page the bypass got. */
  vendor?: string;
}

/** A cached 200 while the cache-bypassing request sees the origin fail: down behind the cache. */
export function downBehindCache(input: BehindCacheInput = { bypassError: 'connection_refused' }): RegionVerdict {
  const signals = ['age: 5400', 'x-cache: HIT'];
  const bypassStatus = input.bypassError ? null : (input.bypassStatus ?? 502);
  const seen = input.bypassError ? `failed (${input.bypassError})` : `answered ${bypassStatus}${input.vendor ? ` (${input.vendor} error page)` : ''}`;
  return {
    status: 'down',
    causes: [
      {
        code: 'stale_cache',
        severity: 'down',
        message: `served 200 from a cache while the cache-bypassing request ${seen}: the origin is failing behind the cache (${signals.join('; ')})`,
        evidence: {
          signals,
          ageSeconds: 5400,
          cacheHit: true,
          httpStatus: 200,
          bypassUrl: `${URL}?__crosscheck=1`,
          bypassStatus,
          bypassError: input.bypassError ?? null,
          bypassCauses: [input.vendor ? 'lb_error_page' : input.bypassError ?? 'status_mismatch'],
          ...(input.vendor ? { bypassErrorPageVendor: input.vendor } : {}),
        },
      },
    ],
    evidence: key({ cache: { hit: true, ageSeconds: 5400, signals }, bypassStatus, ...(input.vendor ? { errorPageVendor: input.vendor } : {}) }),
  };
}

/** The cache admits serving stale content and no bypass was made: degraded, unverified. */
export function staleAdmitted(): RegionVerdict {
  const signals = ['cf-cache-status: STALE'];
  const { bypassStatus: _none, ...evidence } = key({ cache: { hit: true, signals } });
  return {
    status: 'degraded',
    causes: [
      {
        code: 'stale_cache',
        severity: 'degraded',
        message: `the cache says it served stale content (${signals.join('; ')}); no cache-bypassing request was made to check the origin`,
        evidence: { signals, ageSeconds: null, cacheHit: true },
      },
    ],
    evidence,
  };
}

function probeFailure(code: 'connection_refused' | 'timeout' | 'dns_failure' | 'tls_error' | 'blocked_target', phase: string, message: string): RegionVerdict {
  return {
    status: 'down',
    causes: [{ code, severity: 'down', message: `${message} (${code} during ${phase})`, evidence: { probeError: code, phase, url: URL, redirects: 0 } }],
    evidence: { httpStatus: null, finalUrl: URL, totalMs: code === 'timeout' ? 10_000 : 12, redirects: 0, cache: { hit: false, signals: [] }, bypassStatus: null, probeError: code },
  };
}

export function connectionRefused(): RegionVerdict {
  return probeFailure('connection_refused', 'connect', 'connect ECONNREFUSED 203.0.113.10:443');
}

export function timedOut(): RegionVerdict {
  return probeFailure('timeout', 'body', 'no last byte within 10000 ms');
}

export function dnsFailure(): RegionVerdict {
  return probeFailure('dns_failure', 'dns', 'getaddrinfo ENOTFOUND shop.example.com');
}

/** The agent refused the target by its address policy (e.g. cloud metadata range). */
export function refused(): RegionVerdict {
  return probeFailure('blocked_target', 'connect', 'refused to connect to 169.254.169.254:80: link-local address');
}

/** The origin answers a 5xx of its own. */
export function serverError(status = 503): RegionVerdict {
  return {
    status: 'down',
    causes: [{ code: 'status_mismatch', severity: 'down', message: `status ${status}, expected 2xx`, evidence: { httpStatus: status, expected: 'status in 2xx' } }],
    evidence: key({ httpStatus: status, bypassStatus: status }),
  };
}

/** A proxy's own error page (the lying 200 when `status` is 200). */
export function lbErrorPage(vendor = 'nginx', status = 502): RegionVerdict {
  const cause: Cause = {
    code: 'lb_error_page',
    severity: 'down',
    message: `${vendor}'s own ${status} page, served with status ${status}`,
    evidence: { vendor, httpStatus: status, title: `${status} Bad Gateway` },
  };
  return { status: 'down', causes: [cause], evidence: key({ httpStatus: status, bypassStatus: status, errorPageVendor: vendor }) };
}

export function slow(totalMs = 4_800): RegionVerdict {
  return {
    status: 'degraded',
    causes: [
      {
        code: 'slow',
        severity: 'degraded',
        message: `took ${totalMs} ms, over the 3000 ms degraded threshold`,
        evidence: { totalMs, degradedMs: 3000, downMs: null, dnsMs: 2, connectMs: 30, tlsMs: 40, firstByteMs: totalMs - 100 },
      },
    ],
    evidence: key({ totalMs }),
  };
}

/** A health document that answers 200 and says a dependency is degraded. */
export function healthDegraded(): RegionVerdict {
  return {
    status: 'degraded',
    causes: [
      {
        code: 'health_degraded',
        severity: 'degraded',
        message: 'health document reports "degraded": checks.cache = "degraded"',
        evidence: { format: 'spring', overall: 'degraded', failed: [], degraded: ['checks.cache'] },
      },
    ],
    evidence: key(),
  };
}

export function certExpiring(days = 5): RegionVerdict {
  return {
    status: 'degraded',
    causes: [{ code: 'cert_expiring', severity: 'degraded', message: `certificate expires in ${days} days`, evidence: { daysRemaining: days } }],
    evidence: key(),
  };
}

/** No answer before the deadline. */
export function missing(reason = 'no result before the deadline: no live agent in the region (region blind)'): RegionVerdict {
  return { status: 'missing', causes: [], evidence: null, reason };
}

/** The same verdict, its answer carrying these validators (`evidence.content`). */
export function withContent(verdict: RegionVerdict, content: ContentValidators): RegionVerdict {
  return { ...verdict, evidence: { ...(verdict.evidence ?? key()), content } };
}

/** The same verdict, its cache read by RFC 9111 (`evidence.cache.freshness`). */
export function withFreshness(verdict: RegionVerdict, freshness: Freshness): RegionVerdict {
  const evidence = verdict.evidence ?? key();
  return { ...verdict, evidence: { ...evidence, cache: { ...evidence.cache, freshness } } };
}

/**
 * Content whose validators stopped advancing while a healthy bypass request got the same copy (a
 * cache keyed on the path only, no cache header): `stale_cache` with `frozen`, degraded.
 */
export function frozenContent(unchangedRounds = 4): RegionVerdict {
  return {
    status: 'degraded',
    causes: [
      {
        code: 'stale_cache',
        severity: 'degraded',
        message: `the content has not changed for ${unchangedRounds} rounds although its validators advanced on healthy rounds (etag, bodyHash)`,
        evidence: { frozen: true, unchangedRounds, validators: ['etag', 'bodyHash'], cacheHit: false },
      },
    ],
    evidence: key(),
  };
}

/** One address of a round-robin set refuses connections while the user path reached another: degraded, naming it. */
export function addressDown(dead: string[] = ['127.0.0.12'], alive: string[] = ['127.0.0.11']): RegionVerdict {
  const addresses: AddressResult[] = [
    ...alive.map((address): AddressResult => ({ address, family: address.includes(':') ? 6 : 4, ok: true, httpStatus: 200, error: null, totalMs: 20 })),
    ...dead.map((address): AddressResult => ({ address, family: address.includes(':') ? 6 : 4, ok: false, httpStatus: null, error: 'connection_refused', totalMs: 2 })),
  ];
  return {
    status: 'degraded',
    causes: [
      {
        code: 'address_down',
        severity: 'degraded',
        message: `${dead.join(', ')} of ${dead.length + alive.length} addresses refused connections (connection_refused)`,
        evidence: { addresses: dead, errors: dead.map(() => 'connection_refused') },
      },
    ],
    evidence: key({ addresses }),
  };
}

/** The health document is gone: an HTML page answers 200 where a JSON health document used to. */
export function contentChanged(change = 'health document gone'): RegionVerdict {
  return {
    status: 'down',
    causes: [
      {
        code: 'content_changed',
        severity: 'down',
        message: `the response departs from the learned healthy one: ${change} (learned application/json health, now text/html)`,
        evidence: { change, before: 'health', after: 'html' },
      },
    ],
    evidence: key(),
  };
}
