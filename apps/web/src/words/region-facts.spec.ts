import type { FleetRegionView } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { formatPercent, formatSeconds, listWords } from './format';
import { bypassWords, maskedOutageSummary, regionSentence } from './region-facts';

const base: FleetRegionView = {
  status: 'up',
  reading: 'fresh',
  affected: false,
  mainCause: null,
  causes: [],
  httpStatus: 200,
  totalMs: 45,
  cacheHit: false,
  ageSeconds: null,
  bypassStatus: null,
  bypassError: null,
  errorPageVendor: null,
  bypassErrorPageVendor: null,
  probeError: null,
  checkedAt: null,
  note: null,
};
const cached: FleetRegionView = {
  ...base,
  status: 'down',
  reading: 'down_behind_cache',
  affected: true,
  mainCause: { code: 'stale_cache', severity: 'down', message: 'served 200 from a cache while …' },
  causes: ['stale_cache'],
  cacheHit: true,
  ageSeconds: 34,
  bypassStatus: 502,
  bypassErrorPageVendor: 'nginx',
};
const refused: FleetRegionView = {
  ...base,
  status: 'down',
  reading: 'down_direct',
  affected: true,
  mainCause: { code: 'connection_refused', severity: 'down', message: 'x refused the connection' },
  causes: ['connection_refused'],
  httpStatus: null,
  cacheHit: false,
  probeError: 'connection_refused',
};

describe('the words of a region', () => {
  it('says what the bypass saw', () => {
    expect(bypassWords(cached)).toBe('502 (nginx error page)');
    expect(bypassWords({ ...cached, bypassStatus: null, bypassError: 'connection_refused' })).toBe('connection refused');
    expect(bypassWords(base)).toBeNull();
  });

  it('puts a cached 200 next to what the bypass got', () => {
    expect(regionSentence('eu-west', cached)).toBe(
      'eu-west gets cached 200, age 34 s while the cache-bypassing request got 502 (nginx error page): the origin is failing behind the cache',
    );
    expect(regionSentence('ap-south', refused)).toBe('ap-south sees it down: x refused the connection');
    expect(regionSentence('us-east', base)).toBe('us-east is up: 200 in 45 ms');
    expect(regionSentence('x', { ...base, status: 'missing', reading: 'missing', note: 'no live agent' })).toBe('x did not answer (no live agent)');
  });

  it('sums up a masked outage: who gets a cached 200, what the bypass got, what the others see', () => {
    expect(maskedOutageSummary({ regions: { 'eu-west': cached, 'us-east': { ...cached, ageSeconds: 3 }, 'ap-south': refused } })).toBe(
      'eu-west and us-east get a cached 200 while the cache-bypassing request got 502 (nginx error page); ap-south sees the origin down (connection refused).',
    );
    expect(maskedOutageSummary({ regions: { 'eu-west': cached, 'us-east': base } })).toBe(
      'eu-west gets a cached 200 while the cache-bypassing request got 502 (nginx error page); us-east gets fresh content.',
    );
    expect(maskedOutageSummary({ regions: { 'eu-west': refused, 'us-east': base } })).toBeNull();
  });
});

describe('format', () => {
  it.each([
    [0, '0 s'],
    [34.4, '34 s'],
    [65, '1 min 5 s'],
    [1_800, '30 min'],
    [7_500, '2 h 5 min'],
    [90_000, '1 d 1 h'],
  ])('%s seconds is %s', (seconds, words) => {
    expect(formatSeconds(seconds)).toBe(words);
  });

  it('shows percentages with the digits that matter', () => {
    expect([1, 0.9995, 0.9912, 0.75, 0, null].map(formatPercent)).toEqual(['100 %', '99.95 %', '99.12 %', '75.0 %', '0 %', '—']);
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
