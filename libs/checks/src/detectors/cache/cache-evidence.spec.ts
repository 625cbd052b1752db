import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../testing/observation-fixtures';
import type { Freshness } from '../../verdict/verdict';
import { readCacheEvidence } from './cache-evidence';

const httpDate = (secondsAgo: number): string => new Date(TEST_NOW - secondsAgo * 1000).toUTCString();

interface Case {
  name: string;
  headers: Record<string, string>;
  hit: boolean;
  stale: boolean;
  age: number | undefined;
}

/** Header sets as the real caches send them. */
const cases: Case[] = [
  { name: 'no cache headers at all', headers: {}, hit: false, stale: false, age: undefined },
  { name: 'nginx proxy_cache HIT', headers: { 'x-cache-status': 'HIT', server: 'nginx/1.22.1' }, hit: true, stale: false, age: undefined },
  { name: 'nginx proxy_cache STALE (origin failed)', headers: { 'x-cache-status': 'STALE' }, hit: true, stale: true, age: undefined },
  { name: 'nginx proxy_cache MISS', headers: { 'x-cache-status': 'MISS' }, hit: false, stale: false, age: undefined },
  { name: 'nginx EXPIRED (revalidated at origin)', headers: { 'x-cache-status': 'EXPIRED' }, hit: false, stale: false, age: undefined },
  { name: 'Varnish hit', headers: { age: '37', via: '1.1 varnish (Varnish/7.1)', 'x-varnish': '32773 32770' }, hit: true, stale: false, age: 37 },
  { name: 'Varnish miss', headers: { age: '0', via: '1.1 varnish (Varnish/7.1)', 'x-varnish': '32770' }, hit: false, stale: false, age: 0 },
  { name: 'Cloudflare HIT', headers: { 'cf-cache-status': 'HIT', age: '1520', server: 'cloudflare' }, hit: true, stale: false, age: 1520 },
  { name: 'Cloudflare STALE', headers: { 'cf-cache-status': 'STALE', age: '7300' }, hit: true, stale: true, age: 7300 },
  { name: 'Cloudflare DYNAMIC', headers: { 'cf-cache-status': 'DYNAMIC' }, hit: false, stale: false, age: undefined },
  { name: 'Fastly HIT, MISS (shielding)', headers: { 'x-cache': 'HIT, MISS', 'x-served-by': 'cache-fra-etou8220141-FRA, cache-ams21033-AMS', age: '12' }, hit: true, stale: false, age: 12 },
  { name: 'Fastly MISS, HIT (shield missed, edge hit)', headers: { 'x-cache': 'MISS, HIT', age: '3' }, hit: true, stale: false, age: 3 },
  { name: 'Fastly MISS, MISS', headers: { 'x-cache': 'MISS, MISS', age: '0' }, hit: false, stale: false, age: 0 },
  { name: 'CloudFront Hit', headers: { 'x-cache': 'Hit from cloudfront', via: '1.1 abc.cloudfront.net (CloudFront)', age: '305' }, hit: true, stale: false, age: 305 },
  { name: 'CloudFront RefreshHit', headers: { 'x-cache': 'RefreshHit from cloudfront' }, hit: true, stale: false, age: undefined },
  { name: 'CloudFront Error', headers: { 'x-cache': 'Error from cloudfront' }, hit: false, stale: false, age: undefined },
  { name: 'Squid TCP_MEM_HIT', headers: { 'x-cache': 'HIT from proxy.corp', 'x-cache-lookup': 'HIT from proxy.corp:3128' }, hit: true, stale: false, age: undefined },
  { name: 'RFC 9211 Cache-Status hit', headers: { 'cache-status': 'ExampleCache; hit; ttl=30; key=/health' }, hit: true, stale: false, age: undefined },
  { name: 'RFC 9211 stale hit (negative ttl)', headers: { 'cache-status': 'ExampleCache; hit; ttl=-412' }, hit: true, stale: true, age: undefined },
  { name: 'RFC 9211 forward', headers: { 'cache-status': 'ExampleCache; fwd=uri-miss; stored' }, hit: false, stale: false, age: undefined },
  { name: 'Warning 110 Response is Stale', headers: { warning: '110 - "Response is Stale"' }, hit: true, stale: true, age: undefined },
  { name: 'Date two hours behind the probe', headers: { date: httpDate(7200) }, hit: true, stale: false, age: 7200 },
  { name: 'Date 20 s behind is clock drift', headers: { date: httpDate(20) }, hit: false, stale: false, age: undefined },
];

describe('readCacheEvidence', () => {
  it.each(cases)('$name', ({ headers, hit, stale, age }) => {
    const reading = readCacheEvidence(headers, TEST_NOW);
    expect(reading.hit).toBe(hit);
    expect(reading.staleAdmitted).toBe(stale);
    expect(reading.ageSeconds).toBe(age);
    // Every cache header is named in the signals; `Server` never is, nor a `Date` within clock drift.
    for (const name of Object.keys(headers).filter((n) => n !== 'server' && !(n === 'date' && !hit))) {
      expect(reading.signals.some((s) => s.startsWith(`${name}:`))).toBe(true);
    }
  });
});

describe('readCacheEvidence freshness', () => {
  it.each<{ name: string; headers: Record<string, string>; freshness: Freshness | undefined }>([
    { name: 'no cache headers at all', headers: {}, freshness: undefined },
    { name: 'an origin answer with Date only', headers: { date: httpDate(1) }, freshness: undefined },
    { name: 'a hit with no caching header has an age but no lifetime', headers: { 'x-cache': 'HIT' }, freshness: { lifetimeSeconds: null, ageSeconds: 0, state: 'unknown' } },
    { name: 'a hit by Date alone keeps the Date age', headers: { date: httpDate(7200) }, freshness: { lifetimeSeconds: null, ageSeconds: 7200, state: 'unknown' } },
    { name: 'Varnish hit with max-age', headers: { 'cache-control': 'max-age=60', age: '37', 'x-varnish': '32773 32770' }, freshness: { lifetimeSeconds: 60, ageSeconds: 37, state: 'fresh' } },
    { name: 'an origin answer with max-age is read, though no hit', headers: { 'cache-control': 'max-age=60' }, freshness: { lifetimeSeconds: 60, ageSeconds: 0, state: 'fresh' } },
  ])('$name', ({ headers, freshness }) => {
    const reading = readCacheEvidence(headers, TEST_NOW);
    expect(reading.freshness).toEqual(freshness);
    // The age of the cache facts and of the freshness agree.
    if (freshness) expect(freshness.ageSeconds).toBe(reading.ageSeconds ?? 0);
  });
});
