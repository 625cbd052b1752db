import CachePolicy from 'http-cache-semantics';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../testing/observation-fixtures';
import type { Freshness } from '../../verdict/verdict';
import { VARNISH_CAPTURES } from './__fixtures__/varnish-captures';
import { describeFreshness, overdueSeconds, readFreshness } from './freshness';

const httpDate = (secondsAgo: number, now = TEST_NOW): string => new Date(now - secondsAgo * 1000).toUTCString();
const CDN = 'public, max-age=60, stale-while-revalidate=30, stale-if-error=86400';

interface Case {
  name: string;
  headers: Record<string, string>;
  status?: number;
  freshness: Freshness | undefined;
}

/** Header sets as real caches and origins send them, read on the probe clock TEST_NOW. */
const cases: Case[] = [
  { name: 'no headers at all', headers: {}, freshness: undefined },
  { name: 'only Date, Server and Content-Type', headers: { date: httpDate(0), server: 'nginx', 'content-type': 'text/html' }, freshness: undefined },
  { name: 'a cache hit header with no caching information', headers: { 'x-cache': 'HIT', date: httpDate(1) }, freshness: undefined },
  // Varnish keeps the origin's Date and adds Age.
  {
    name: 'Varnish hit inside max-age',
    headers: { 'cache-control': 'max-age=60', age: '37', date: httpDate(37), via: '1.1 varnish (Varnish/7.1)', 'x-varnish': '32773 32770' },
    freshness: { lifetimeSeconds: 60, ageSeconds: 37, state: 'fresh' },
  },
  {
    name: 'Varnish serving from grace past max-age with no stale window',
    headers: { 'cache-control': 'max-age=60', age: '95', date: httpDate(95), via: '1.1 varnish (Varnish/7.1)', 'x-varnish': '32790 32770' },
    freshness: { lifetimeSeconds: 60, ageSeconds: 95, state: 'stale' },
  },
  { name: 'Varnish miss: Age 0 is fresh', headers: { 'cache-control': 'max-age=60', age: '0', 'x-varnish': '32770' }, freshness: { lifetimeSeconds: 60, ageSeconds: 0, state: 'fresh' } },
  // nginx proxy_cache writes its own Date and sends no Age: the age is not visible in the headers.
  {
    name: 'nginx proxy_cache HIT (own Date, no Age)',
    headers: { 'x-cache-status': 'HIT', server: 'nginx/1.22.1', date: httpDate(0), 'cache-control': 'max-age=10', 'last-modified': httpDate(86400) },
    freshness: { lifetimeSeconds: 10, ageSeconds: 0, state: 'fresh' },
  },
  {
    name: 'nginx proxy_cache STALE: the age is hidden, only the cache admits it',
    headers: { 'x-cache-status': 'STALE', server: 'nginx/1.22.1', date: httpDate(0), 'cache-control': 'max-age=10' },
    freshness: { lifetimeSeconds: 10, ageSeconds: 0, state: 'fresh' },
  },
  // Fastly / Cloudflare style, through the windows.
  { name: 'CDN: inside max-age', headers: { 'cache-control': CDN, age: '45', 'x-cache': 'HIT, HIT' }, freshness: { lifetimeSeconds: 60, ageSeconds: 45, state: 'fresh' } },
  { name: 'CDN: at exactly max-age it is stale (fresh means lifetime > age)', headers: { 'cache-control': CDN, age: '60' }, freshness: { lifetimeSeconds: 60, ageSeconds: 60, state: 'stale_while_revalidate' } },
  { name: 'CDN: inside stale-while-revalidate', headers: { 'cache-control': CDN, age: '75', 'cf-cache-status': 'UPDATING' }, freshness: { lifetimeSeconds: 60, ageSeconds: 75, state: 'stale_while_revalidate' } },
  { name: 'CDN: past stale-while-revalidate, inside stale-if-error', headers: { 'cache-control': CDN, age: '1900', 'cf-cache-status': 'STALE' }, freshness: { lifetimeSeconds: 60, ageSeconds: 1900, state: 'stale_if_error' } },
  { name: 'CDN: past stale-if-error too', headers: { 'cache-control': CDN, age: '90000' }, freshness: { lifetimeSeconds: 60, ageSeconds: 90000, state: 'stale' } },
  { name: 's-maxage beats max-age for a shared cache', headers: { 'cache-control': 'public, max-age=10, s-maxage=300', age: '120' }, freshness: { lifetimeSeconds: 300, ageSeconds: 120, state: 'fresh' } },
  {
    name: 's-maxage with explicit stale windows keeps them',
    headers: { 'cache-control': 's-maxage=60, stale-while-revalidate=30', age: '80' },
    freshness: { lifetimeSeconds: 60, ageSeconds: 80, state: 'stale_while_revalidate' },
  },
  { name: 'max-age=0 with stale-while-revalidate (Next.js style)', headers: { 'cache-control': 'public, max-age=0, stale-while-revalidate=60', age: '30' }, freshness: { lifetimeSeconds: 0, ageSeconds: 30, state: 'stale_while_revalidate' } },
  // Expires against Date.
  { name: 'Expires 300 s after Date', headers: { date: httpDate(0), expires: httpDate(-300) }, freshness: { lifetimeSeconds: 300, ageSeconds: 0, state: 'fresh' } },
  { name: 'Expires in the past, served from a cache', headers: { date: httpDate(10), expires: httpDate(3600), age: '30' }, freshness: { lifetimeSeconds: 0, ageSeconds: 30, state: 'stale' } },
  { name: 'Expires in the past straight from the origin (Age 0)', headers: { date: httpDate(0), expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }, freshness: { lifetimeSeconds: 0, ageSeconds: 0, state: 'fresh' } },
  { name: 'Expires: 0 is already expired', headers: { date: httpDate(0), expires: '0', age: '5' }, freshness: { lifetimeSeconds: 0, ageSeconds: 5, state: 'stale' } },
  { name: 'max-age beats Expires', headers: { 'cache-control': 'max-age=600', date: httpDate(0), expires: httpDate(3600), age: '100' }, freshness: { lifetimeSeconds: 600, ageSeconds: 100, state: 'fresh' } },
  {
    name: 'Expires with Date far behind the probe (stored headers, no Age)',
    headers: { date: httpDate(7200), expires: httpDate(3600) },
    freshness: { lifetimeSeconds: 3600, ageSeconds: 7200, state: 'stale' },
  },
  // The heuristic: 10% of Date - Last-Modified.
  {
    name: 'heuristic from Last-Modified 10 days before Date',
    headers: { date: httpDate(30), 'last-modified': httpDate(30 + 864000), age: '3600' },
    freshness: { lifetimeSeconds: 86400, ageSeconds: 3600, state: 'fresh' },
  },
  {
    name: 'heuristic lifetime exceeded',
    headers: { date: httpDate(0), 'last-modified': httpDate(10000), age: '1500', via: '1.1 varnish' },
    freshness: { lifetimeSeconds: 1000, ageSeconds: 1500, state: 'stale' },
  },
  { name: 'Last-Modified not before Date gives no heuristic lifetime', headers: { date: httpDate(0), 'last-modified': httpDate(0), age: '3' }, freshness: { lifetimeSeconds: 0, ageSeconds: 3, state: 'stale' } },
  { name: 'heuristic for a 404 (cacheable by default)', status: 404, headers: { date: httpDate(0), 'last-modified': httpDate(1000) }, freshness: { lifetimeSeconds: 100, ageSeconds: 0, state: 'fresh' } },
  // Age and Date.
  { name: 'Age larger than the lifetime', headers: { 'cache-control': 'max-age=60', age: '1900', 'x-cache': 'HIT' }, freshness: { lifetimeSeconds: 60, ageSeconds: 1900, state: 'stale' } },
  {
    name: 'Date far behind the probe clock with no Age: the apparent age counts',
    headers: { 'cache-control': 'max-age=300', date: httpDate(7200) },
    freshness: { lifetimeSeconds: 300, ageSeconds: 7200, state: 'stale' },
  },
  { name: 'Date 20 s behind is clock drift, not age', headers: { 'cache-control': 'max-age=10', date: httpDate(20) }, freshness: { lifetimeSeconds: 10, ageSeconds: 0, state: 'fresh' } },
  { name: 'Date ahead of the probe clock is no age', headers: { 'cache-control': 'max-age=10', date: httpDate(-3600), age: '4' }, freshness: { lifetimeSeconds: 10, ageSeconds: 4, state: 'fresh' } },
  { name: 'Age and Date: the larger wins', headers: { 'cache-control': 'max-age=600', date: httpDate(900), age: '120' }, freshness: { lifetimeSeconds: 600, ageSeconds: 900, state: 'stale' } },
  { name: 'a malformed Age is ignored', headers: { 'cache-control': 'max-age=60', age: 'soon' }, freshness: { lifetimeSeconds: 60, ageSeconds: 0, state: 'fresh' } },
  // Warning is the cache's word, read by readCacheEvidence; freshness reads the clock.
  {
    name: 'Warning: 110 on content past max-age',
    headers: { 'cache-control': 'max-age=60', age: '100', warning: '110 - "Response is Stale"' },
    freshness: { lifetimeSeconds: 60, ageSeconds: 100, state: 'stale' },
  },
  // Directives that forbid a shared cache to serve from store.
  { name: 'no-store served with Age', headers: { 'cache-control': 'no-store', age: '30' }, freshness: { lifetimeSeconds: 0, ageSeconds: 30, state: 'stale' } },
  { name: 'no-store straight from the origin', headers: { 'cache-control': 'no-store' }, freshness: { lifetimeSeconds: 0, ageSeconds: 0, state: 'fresh' } },
  {
    name: 'no-cache served with Age, stale windows notwithstanding',
    headers: { 'cache-control': 'no-cache, stale-while-revalidate=60', age: '5' },
    freshness: { lifetimeSeconds: 0, ageSeconds: 5, state: 'stale' },
  },
  { name: 'private, max-age=600 from a shared cache', headers: { 'cache-control': 'private, max-age=600', age: '30' }, freshness: { lifetimeSeconds: 0, ageSeconds: 30, state: 'stale' } },
  { name: 'Pragma: no-cache alone', headers: { pragma: 'no-cache', age: '3' }, freshness: { lifetimeSeconds: 0, ageSeconds: 3, state: 'stale' } },
  { name: 'Vary: * never matches', headers: { 'cache-control': 'max-age=60', vary: '*', age: '3' }, freshness: { lifetimeSeconds: 0, ageSeconds: 3, state: 'stale' } },
  { name: 'Set-Cookie does not shorten the lifetime', headers: { 'cache-control': 'max-age=60', 'set-cookie': 'sid=1; Path=/', age: '10' }, freshness: { lifetimeSeconds: 60, ageSeconds: 10, state: 'fresh' } },
  {
    name: 'must-revalidate closes the stale windows',
    headers: { 'cache-control': 'max-age=60, must-revalidate, stale-while-revalidate=30, stale-if-error=600', age: '70' },
    freshness: { lifetimeSeconds: 60, ageSeconds: 70, state: 'stale' },
  },
  { name: 'proxy-revalidate keeps the lifetime', headers: { 'cache-control': 'max-age=60, proxy-revalidate', age: '30' }, freshness: { lifetimeSeconds: 60, ageSeconds: 30, state: 'fresh' } },
  {
    name: 'proxy-revalidate closes the stale windows',
    headers: { 'cache-control': 'max-age=60, proxy-revalidate, stale-if-error=600', age: '70' },
    freshness: { lifetimeSeconds: 60, ageSeconds: 70, state: 'stale' },
  },
  { name: 'immutable does not lengthen the lifetime', headers: { 'cache-control': 'public, immutable', date: httpDate(0), expires: httpDate(-10), age: '600' }, freshness: { lifetimeSeconds: 10, ageSeconds: 600, state: 'stale' } },
  // Nothing to count a lifetime from.
  { name: 'public alone: no lifetime stated', headers: { 'cache-control': 'public', age: '50' }, freshness: { lifetimeSeconds: null, ageSeconds: 50, state: 'unknown' } },
  { name: 'Age alone', headers: { age: '1520', 'cf-cache-status': 'HIT' }, freshness: { lifetimeSeconds: null, ageSeconds: 1520, state: 'unknown' } },
];

describe('readFreshness', () => {
  it.each(cases)('$name', ({ headers, status, freshness }) => {
    expect(readFreshness(headers, TEST_NOW, status)).toEqual(freshness);
  });

  it('counts the apparent age from Date that the library ignores', () => {
    const headers = { 'cache-control': 'max-age=300', date: httpDate(7200) };
    // What http-cache-semantics alone says (on the wall clock, which does not matter for Age alone): no age at all.
    expect(new CachePolicy({ headers: {} }, { headers }).age()).toBeLessThan(1);
    expect(readFreshness(headers, TEST_NOW)?.ageSeconds).toBe(7200);
  });
});

describe('readFreshness on the probe clock', () => {
  // Far from the wall clock on both sides: a single read of Date.now() anywhere would show.
  const clocks = [Date.UTC(1999, 0, 1), Date.UTC(2031, 5, 1, 8, 30), TEST_NOW];

  it.each(clocks)('Expires without Date counts from the probe clock as response time (%i)', (now) => {
    // Without Date the library takes the response time the constructor sampled through now().
    expect(readFreshness({ expires: new Date(now + 600_000).toUTCString() }, now)).toEqual({ lifetimeSeconds: 600, ageSeconds: 0, state: 'fresh' });
  });

  it.each(clocks)('the heuristic without Date counts from the probe clock (%i)', (now) => {
    expect(readFreshness({ 'last-modified': new Date(now - 100_000_000).toUTCString(), age: '20' }, now)).toEqual({ lifetimeSeconds: 10000, ageSeconds: 20, state: 'fresh' });
  });

  it.each(clocks)('no resident time accrues: Age is the age (%i)', (now) => {
    expect(readFreshness({ 'cache-control': CDN, age: '75', date: httpDate(75, now) }, now)).toEqual({ lifetimeSeconds: 60, ageSeconds: 75, state: 'stale_while_revalidate' });
  });

  it('gives the same reading for the same input, however often and in whatever order', () => {
    const inputs: Array<[Record<string, string>, number]> = clocks.flatMap((now) => [
      [{ 'cache-control': CDN, age: '1900', date: httpDate(1900, now) }, now],
      [{ expires: new Date(now + 90_000_000).toUTCString(), age: '100' }, now],
      [{ 'last-modified': new Date(now - 50_000_000).toUTCString(), date: httpDate(5000, now) }, now],
    ]);
    const first = inputs.map(([headers, now]) => readFreshness(headers, now));
    const again = [...inputs].reverse().map(([headers, now]) => readFreshness(headers, now)).reverse();
    expect(again).toEqual(first);
    expect(first.map((f) => f?.state)).toEqual(clocks.flatMap(() => ['stale_if_error', 'fresh', 'stale']));
  });

  it('leaves the headers it was given untouched', () => {
    const headers = { 'cache-control': 'max-age=60, proxy-revalidate', 'set-cookie': 'a=1', age: '3' };
    const copy = { ...headers };
    readFreshness(headers, TEST_NOW);
    expect(headers).toEqual(copy);
  });
});

describe('readFreshness on real Varnish 7.1 (scripts/capture-varnish-freshness.mjs)', () => {
  // The origin sent `max-age=2, stale-while-revalidate=1, stale-if-error=600`, then stopped.
  const expected: Record<string, Record<string, Freshness['state']>> = {
    stock: {
      'miss: fetched from the origin': 'fresh',
      'hit: fresh': 'fresh',
      'origin stopped: served from grace (stale-while-revalidate)': 'stale_while_revalidate',
      // Varnish's own 503 has Age: 0 and no Cache-Control: nothing to count a lifetime from.
      'origin stopped, past ttl + grace: Backend fetch failed': 'unknown',
    },
    'grace-1h': {
      'miss: fetched from the origin': 'fresh',
      'hit: fresh': 'fresh',
      'origin stopped: served from grace (stale-while-revalidate)': 'stale_while_revalidate',
      'origin stopped, past stale-while-revalidate: served from a 1 h grace': 'stale_if_error',
      'origin stopped, long past stale-while-revalidate: served from a 1 h grace': 'stale_if_error',
    },
  };

  it.each(VARNISH_CAPTURES)('$edge: $label', ({ edge, label, now, status, headers }) => {
    const freshness = readFreshness(headers, now, status);
    expect(freshness?.state).toBe(expected[edge]?.[label]);
    // Varnish's Age is the whole truth here: the stored Date is seconds behind, within clock drift.
    expect(freshness?.ageSeconds).toBe(Number(headers.age));
    if (status === 200) expect(freshness?.lifetimeSeconds).toBe(2);
  });
});

describe('describeFreshness', () => {
  it.each([
    [{ 'cache-control': CDN, age: '1900' }, '1840 s past its 60 s freshness lifetime, beyond stale-while-revalidate=30, inside stale-if-error=86400 (max-age=60)'],
    [{ 'cache-control': CDN, age: '75' }, '15 s past its 60 s freshness lifetime, inside stale-while-revalidate=30 (max-age=60)'],
    [{ 'cache-control': 'max-age=60', age: '1900' }, '1840 s past its 60 s freshness lifetime (max-age=60)'],
    [{ 'cache-control': 'public, max-age=10, s-maxage=300', age: '120' }, 'fresh, 120 s old of its 300 s freshness lifetime (s-maxage=300)'],
    [{ 'cache-control': 'no-cache', age: '5' }, '5 s past its 0 s freshness lifetime (no-cache: every use must be revalidated)'],
    [{ date: 'Sun, 01 Nov 2026 10:00:00 GMT', expires: 'Sun, 01 Nov 2026 11:00:00 GMT' }, '3600 s past its 3600 s freshness lifetime (Expires Sun, 01 Nov 2026 11:00:00 GMT against Date Sun, 01 Nov 2026 10:00:00 GMT)'],
    [{ date: httpDate(0), 'last-modified': httpDate(10000), age: '1500' }, `500 s past its 1000 s freshness lifetime (heuristic: 10% of the time since Last-Modified ${httpDate(10000)})`],
    [{ 'cache-control': 'public', age: '50' }, '50 s old, with no freshness lifetime stated'],
  ])('%j', (headers, words) => {
    const freshness = readFreshness(headers, TEST_NOW);
    expect(freshness).toBeDefined();
    expect(describeFreshness(freshness!, headers)).toBe(words);
  });
});

describe('overdueSeconds', () => {
  it.each<[Record<string, string>, number]>([
    [{ 'cache-control': CDN, age: '1900' }, 1810],
    [{ 'cache-control': CDN, age: '75' }, 0],
    [{ 'cache-control': CDN, age: '45' }, 0],
    [{ 'cache-control': 'max-age=60', age: '1900' }, 1840],
    // must-revalidate closes the window: it is overdue from the lifetime on.
    [{ 'cache-control': 'max-age=60, must-revalidate, stale-while-revalidate=30', age: '100' }, 40],
    [{ 'cache-control': 'public', age: '5000' }, 0],
  ])('%j is %i s overdue', (headers, seconds) => {
    expect(overdueSeconds(readFreshness(headers, TEST_NOW)!, headers)).toBe(seconds);
  });
});
