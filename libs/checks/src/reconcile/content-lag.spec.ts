import { describe, expect, it } from 'vitest';
import { up, upFromCacheUnverified, withContent } from './__fixtures__/region-verdicts';
import { findContentLag, LAST_MODIFIED_TOLERANCE_SECONDS } from './content-lag';
import { readRegion, type RegionRead } from './region-reading';
import type { RegionVerdict } from './round-verdicts';
import type { ContentValidators } from '../verdict/verdict';

function reads(regions: Record<string, RegionVerdict>): RegionRead[] {
  return Object.keys(regions)
    .sort()
    .map((region) => ({ region, verdict: regions[region]!, reading: readRegion(regions[region]!) }));
}

const at = (content: ContentValidators, cached = false): RegionVerdict => withContent(cached ? upFromCacheUnverified() : up(), content);

describe('findContentLag', () => {
  it('names what the lagging region serves and who serves the newest', () => {
    expect(findContentLag(reads({ a: at({ version: '1.5.0' }), b: at({ version: '1.4.2' }), c: at({ version: '1.5' }) }))).toEqual([
      { region: 'b', validator: 'version', seen: '1.4.2', expected: '1.5.0', aheadRegions: ['a', 'c'] },
    ]);
  });

  it('says how far a Last-Modified trails, and keeps within the tolerance quiet', () => {
    const newest = Date.UTC(2026, 11, 1, 11, 0, 0);
    const http = (ms: number) => new Date(ms).toUTCString();
    const regions = {
      a: at({ lastModified: http(newest) }),
      b: at({ lastModified: http(newest - (LAST_MODIFIED_TOLERANCE_SECONDS + 1) * 1000) }),
      c: at({ lastModified: http(newest - LAST_MODIFIED_TOLERANCE_SECONDS * 1000) }),
    };
    expect(findContentLag(reads(regions))).toEqual([
      { region: 'b', validator: 'lastModified', seen: http(newest - 301_000), expected: http(newest), aheadRegions: ['a'], behindSeconds: 301 },
    ]);
  });

  it('takes another tolerance when told (the policy\'s lastModifiedSkewSeconds)', () => {
    const newest = Date.UTC(2026, 11, 1, 11, 0, 0);
    const http = (ms: number) => new Date(ms).toUTCString();
    const regions = reads({ a: at({ lastModified: http(newest) }), b: at({ lastModified: http(newest - 3_600_000) }) });
    expect(findContentLag(regions, 3_600)).toEqual([]);
    expect(findContentLag(regions, 3_599)).toMatchObject([{ region: 'b', behindSeconds: 3_600 }]);
  });

  it('ignores a Last-Modified that is not a date', () => {
    expect(findContentLag(reads({ a: at({ lastModified: 'yesterday' }), b: at({ lastModified: 'Tue, 01 Dec 2026 11:00:00 GMT' }) }))).toEqual([]);
  });

  it('compares ETags weakly: a compressed cached copy of the same content is not lag', () => {
    expect(findContentLag(reads({ a: at({ etag: '"abc"' }), b: at({ etag: 'W/"abc"' }, true), c: at({ etag: '"abc"' }) }))).toEqual([]);
    expect(findContentLag(reads({ a: at({ etag: '"abd"' }), b: at({ etag: 'W/"abc"' }, true), c: at({ etag: '"abd"' }) }))).toMatchObject([
      { region: 'b', validator: 'etag', seen: '"abc"', expected: '"abd"' },
    ]);
  });

  it('names a region once, by the first validator that shows the lag', () => {
    const lag = findContentLag(reads({ a: at({ version: '2', lastModified: 'Tue, 01 Dec 2026 11:00:00 GMT' }), b: at({ version: '1', lastModified: 'Tue, 01 Dec 2026 08:00:00 GMT' }) }));
    expect(lag.map((l) => [l.region, l.validator])).toEqual([['b', 'version']]);
  });

  it('compares nothing when one region or none carries a validator', () => {
    expect(findContentLag(reads({ a: at({ version: '1.0' }), b: up(), c: at({ bodyHash: 'abc' }) }))).toEqual([]);
  });
});
