import { describe, expect, it } from 'vitest';
import {
  connectionRefused,
  downBehindCache,
  frozenContent,
  healthDegraded,
  lbErrorPage,
  missing,
  refused,
  slow,
  staleAdmitted,
  up,
  upBypassInconclusive,
  upFromCacheUnverified,
  upFromCacheVerified,
} from './__fixtures__/region-verdicts';
import { readRegion, type RegionReading } from './region-reading';
import type { RegionVerdict } from './round-verdicts';

describe('readRegion', () => {
  it.each<[string, RegionVerdict, RegionReading]>([
    ['no answer', missing(), 'missing'],
    ['the agent refused the target', refused(), 'refused'],
    ['a cached 200 with the bypass refused', downBehindCache(), 'down_behind_cache'],
    ["a cached 200 with the bypass on the proxy's page", downBehindCache({ bypassStatus: 502, vendor: 'Varnish' }), 'down_behind_cache'],
    ['connection refused', connectionRefused(), 'down_direct'],
    ["a proxy's error page", lbErrorPage(), 'down_direct'],
    ['a down verdict with no cause at all', { status: 'down', causes: [] }, 'down_direct'],
    [
      'refused and something else: not only a refusal',
      { status: 'down', causes: [...refused().causes, ...connectionRefused().causes] },
      'down_direct',
    ],
    ['a plain 200', up(), 'fresh'],
    ['a cache hit with a healthy bypass', upFromCacheVerified(), 'fresh'],
    ['a cache hit, no bypass', upFromCacheUnverified(), 'cached_unverified'],
    ['a cache hit, bypass rejected with 404', upBypassInconclusive(), 'cached_unverified'],
    ['the cache admits stale, no bypass', staleAdmitted(), 'cached_unverified'],
    ['frozen content: the healthy bypass got the same old copy, so it vouches for nothing', frozenContent(), 'cached_unverified'],
    ['slow, not cached', slow(), 'fresh'],
    ['degraded dependency, not cached', healthDegraded(), 'fresh'],
    [
      'a cache hit seen only in the causes (no key evidence): unverified',
      { status: 'up', causes: upFromCacheUnverified().causes },
      'cached_unverified',
    ],
    ['a cache hit seen only in the causes, vouched by the bypass', { status: 'up', causes: upFromCacheVerified().causes }, 'fresh'],
  ])('%s → %s', (_name, verdict, reading) => {
    expect(readRegion(verdict)).toBe(reading);
  });
});
