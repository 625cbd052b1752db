import { describe, expect, it } from 'vitest';
import { evaluate } from '../../evaluate/evaluate';
import type { Observation, RequestOutcome } from '../../observation/observation';
import type { MonitorSpecInput } from '../../spec/monitor-spec.schema';
import { bypassOf, observationOf, specOf, TEST_NOW } from '../../testing/observation-fixtures';
import type { Freshness, VerdictStatus } from '../../verdict/verdict';
import { VARNISH_CAPTURES, type VarnishCapture } from './__fixtures__/varnish-captures';
import { freshnessOf } from './cache-evidence';

const httpDate = (secondsAgo: number): string => new Date(TEST_NOW - secondsAgo * 1000).toUTCString();
const HEALTHY = { 'content-type': 'application/json' };
const BODY = '{"status":"ok"}';
const CDN = 'public, max-age=60, stale-while-revalidate=30, stale-if-error=86400';

const served = (headers: Record<string, string>, bypass?: RequestOutcome): Observation =>
  observationOf({ headers: { ...HEALTHY, ...headers }, body: BODY, ...(bypass ? { bypass } : {}) });
/** The bypass got the origin's fresh answer. */
const healthyBypass = bypassOf({ headers: { ...HEALTHY, 'cache-control': 'max-age=60' }, body: BODY });
const refusedBypass = bypassOf({ outcome: { response: undefined, error: { code: 'connection_refused', phase: 'connect', url: 'x', message: 'connect ECONNREFUSED 127.0.0.2:443' } } });
/** Many sites reject an unknown query parameter: proves nothing. */
const rejectingBypass = bypassOf({ status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' });

interface Case {
  name: string;
  spec?: Partial<MonitorSpecInput>;
  observation: Observation;
  status: VerdictStatus;
  /** `code/severity` in order. */
  causes: string[];
  state?: Freshness['state'];
  /** Words the stale or cached cause's message must contain. */
  says?: string[];
}

const cases: Case[] = [
  // Fresh content: nothing new.
  { name: 'no caching headers at all', observation: served({}), status: 'up', causes: [] },
  { name: 'the origin itself with max-age (no cache in the path)', observation: served({ 'cache-control': 'max-age=60', date: httpDate(0) }), status: 'up', causes: [], state: 'fresh' },
  { name: 'CDN hit inside max-age, no bypass', observation: served({ 'cache-control': CDN, age: '45', 'x-cache': 'HIT, HIT' }), status: 'up', causes: ['cached_response/info'], state: 'fresh' },
  { name: 'CDN hit inside max-age, healthy bypass', observation: served({ 'cache-control': CDN, age: '45', 'x-cache': 'HIT' }, healthyBypass), status: 'up', causes: ['cached_response/info'], state: 'fresh' },

  // Inside stale-while-revalidate: what a CDN is allowed to do.
  {
    name: 'inside stale-while-revalidate, no bypass',
    observation: served({ 'cache-control': CDN, age: '75', 'cf-cache-status': 'HIT' }),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'stale_while_revalidate',
    says: ['15 s past its 60 s freshness lifetime, inside stale-while-revalidate=30 (max-age=60)', 'no cache-bypassing request was made'],
  },
  {
    name: 'inside stale-while-revalidate, healthy bypass',
    observation: served({ 'cache-control': CDN, age: '75', 'x-cache': 'HIT' }, healthyBypass),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'stale_while_revalidate',
    says: ['inside stale-while-revalidate=30', 'the cache-bypassing request is healthy'],
  },

  // Past the lifetime with nothing checking the origin.
  {
    name: 'Age larger than max-age, no bypass',
    observation: served({ 'cache-control': 'max-age=60', age: '1900', 'x-cache': 'HIT' }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
    says: ['served 1840 s past its 60 s freshness lifetime (max-age=60); no cache-bypassing request checked the origin'],
  },
  {
    name: 'inside stale-if-error, no bypass: the cache met an origin error',
    observation: served({ 'cache-control': CDN, age: '1900', 'x-cache': 'HIT' }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale_if_error',
    says: ['1840 s past its 60 s freshness lifetime, beyond stale-while-revalidate=30, inside stale-if-error=86400 (max-age=60): the cache is serving stale on an origin error'],
  },
  {
    name: 'Date far behind the probe clock with no Age, no bypass',
    observation: served({ 'cache-control': 'max-age=300', date: httpDate(7200) }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
    says: ['6900 s past its 300 s freshness lifetime (max-age=300)'],
  },
  {
    name: 'Expires in the past with Date, served from Varnish',
    observation: served({ date: httpDate(10), expires: httpDate(3600), age: '30', 'x-varnish': '32780 32770' }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
    says: ['30 s past its 0 s freshness lifetime (Expires'],
  },
  {
    name: 'heuristic lifetime from Last-Modified exceeded',
    observation: served({ date: httpDate(0), 'last-modified': httpDate(10000), age: '1500', via: '1.1 varnish (Varnish/7.1)' }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
    says: ['500 s past its 1000 s freshness lifetime (heuristic: 10% of the time since Last-Modified'],
  },
  {
    name: 's-maxage beats max-age: fresh for the shared cache',
    observation: served({ 'cache-control': 'public, max-age=10, s-maxage=300', age: '120', 'x-cache': 'HIT' }),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'fresh',
  },
  {
    name: 'Warning: 110 on content past max-age: one cause naming both',
    observation: served({ 'cache-control': 'max-age=60', age: '100', warning: '110 - "Response is Stale"' }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
    says: ['40 s past its 60 s freshness lifetime (max-age=60); the cache itself says so (warning: 110 - "Response is Stale")'],
  },
  {
    name: 'nginx STALE: the age is hidden, the cache admits it (as before)',
    observation: served({ 'x-cache-status': 'STALE', server: 'nginx/1.22.1', date: httpDate(0), 'cache-control': 'max-age=10' }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'fresh',
    says: ['the cache says it served stale content (x-cache-status: STALE), fresh, 0 s old of its 10 s freshness lifetime (max-age=10)'],
  },

  // Past the lifetime while the origin answers.
  {
    name: 'past stale-while-revalidate with a healthy bypass: the cache does not revalidate',
    observation: served({ 'cache-control': CDN, age: '1900', 'x-cache': 'HIT' }, healthyBypass),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale_if_error',
    says: ['while the cache-bypassing request is healthy: the cache is not revalidating although the origin answers'],
  },
  {
    name: 'past max-age with no window and a healthy bypass',
    observation: served({ 'cache-control': 'max-age=60', age: '95', 'x-varnish': '32790 32770' }, healthyBypass),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
  },
  {
    name: 'no-cache served from store with a healthy bypass',
    observation: served({ 'cache-control': 'no-cache', age: '30', 'x-cache': 'HIT' }, healthyBypass),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale',
    says: ['30 s past its 0 s freshness lifetime (no-cache: every use must be revalidated)'],
  },

  // A cache's own grace: seconds past lifetime + stale-while-revalidate are not judged (the reading stays by the book).
  {
    name: 'stock Varnish grace on max-age=1 with a healthy bypass (test/intermediaries.e2e.ts healthy phase)',
    observation: served({ 'cache-control': 'public, max-age=1', age: '2', via: '1.1 varnish (Varnish/7.1)', 'x-varnish': '32790 32770' }, healthyBypass),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'stale',
  },
  { name: '10 s past max-age, no bypass: within a cache grace', observation: served({ 'cache-control': 'max-age=60', age: '70', 'x-cache': 'HIT' }), status: 'up', causes: ['cached_response/info'], state: 'stale' },
  { name: '11 s past max-age, no bypass: judged', observation: served({ 'cache-control': 'max-age=60', age: '71', 'x-cache': 'HIT' }), status: 'degraded', causes: ['stale_cache/degraded'], state: 'stale' },
  {
    name: '10 s past stale-while-revalidate, healthy bypass: within a cache grace',
    observation: served({ 'cache-control': CDN, age: '100', 'x-cache': 'HIT' }, healthyBypass),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'stale_if_error',
  },
  {
    name: '11 s past stale-while-revalidate, healthy bypass: judged',
    observation: served({ 'cache-control': CDN, age: '101', 'x-cache': 'HIT' }, healthyBypass),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
    state: 'stale_if_error',
  },
  {
    name: 'Warning: 110 on fresh content with a healthy bypass stays info (as before)',
    observation: served({ 'cache-control': 'max-age=600', age: '100', warning: '110 - "Response is Stale"' }, healthyBypass),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'fresh',
  },

  // A failed bypass: already stale_cache down; the freshness is named.
  {
    name: 'inside stale-if-error while the bypass is refused',
    observation: served({ 'cache-control': CDN, age: '1900', 'x-cache': 'HIT' }, refusedBypass),
    status: 'down',
    causes: ['stale_cache/down'],
    state: 'stale_if_error',
    says: ['the cache-bypassing request failed (connection_refused)', 'the content is 1840 s past its 60 s freshness lifetime, beyond stale-while-revalidate=30, inside stale-if-error=86400'],
  },
  {
    name: 'fresh content while the bypass is refused is down all the same',
    observation: served({ 'cache-control': CDN, age: '10', 'x-cache': 'HIT' }, refusedBypass),
    status: 'down',
    causes: ['stale_cache/down'],
    state: 'fresh',
    says: ['the content is fresh, 10 s old of its 60 s freshness lifetime (max-age=60)'],
  },

  // A bypass that proves nothing leaves the freshness to speak.
  {
    name: 'past the lifetime and the bypass answers 404',
    observation: served({ 'cache-control': 'max-age=60', age: '1900', 'x-cache': 'HIT' }, rejectingBypass),
    status: 'degraded',
    causes: ['bypass_inconclusive/info', 'stale_cache/degraded'],
    state: 'stale',
    says: ['the cache-bypassing request proved nothing about the origin'],
  },
  { name: 'fresh and the bypass answers 404', observation: served({ 'cache-control': CDN, age: '10', 'x-cache': 'HIT' }, rejectingBypass), status: 'up', causes: ['bypass_inconclusive/info'], state: 'fresh' },

  // Hits with no caching headers: no lifetime to hold them against.
  {
    name: 'Date two hours behind with no caching headers and a healthy bypass',
    observation: served({ date: httpDate(7200) }, healthyBypass),
    status: 'up',
    causes: ['cached_response/info'],
    state: 'unknown',
  },
  { name: 'X-Cache: HIT alone', observation: served({ 'x-cache': 'HIT' }), status: 'up', causes: ['cached_response/info'], state: 'unknown' },
  {
    name: 'the monitor limit on content age is judged as before',
    spec: { expect: { maxContentAgeSeconds: 3600 } },
    observation: served({ 'cache-control': 'max-age=86400', age: '7200', 'x-cache': 'HIT' }, healthyBypass),
    status: 'degraded',
    causes: ['cached_response/info', 'stale_cache/degraded'],
    state: 'fresh',
  },
];

describe('judgeCache with RFC 9111 freshness', () => {
  it.each(cases)('$name', ({ spec, observation, status, causes, state, says }) => {
    const verdict = evaluate(specOf({ url: observation.url, ...spec }), observation);
    expect(verdict.causes.map((c) => `${c.code}/${c.severity}`)).toEqual(causes);
    expect(verdict.status).toBe(status);
    expect(verdict.evidence.cache.freshness?.state).toBe(state);
    // What evaluation records is what freshnessOf reads.
    expect(verdict.evidence.cache.freshness).toEqual(freshnessOf(observation));
    const judged = verdict.causes.find((c) => c.code === 'stale_cache' || c.code === 'cached_response');
    for (const words of says ?? []) expect(judged?.message).toContain(words);
    if (judged && state) expect(judged.evidence['freshness']).toBe(state);
  });

  it('turns the freshness off with the cache detector, but still records it', () => {
    const observation = served({ 'cache-control': 'max-age=60', age: '1900', 'x-cache': 'HIT' });
    const verdict = evaluate(specOf({ url: observation.url, detectors: { cache: false } }), observation);
    expect(verdict.status).toBe('up');
    expect(verdict.evidence.cache.freshness).toEqual({ lifetimeSeconds: 60, ageSeconds: 1900, state: 'stale' });
  });
});

describe('judgeCache on real Varnish 7.1 headers (origin max-age=2, stale-while-revalidate=1, stale-if-error=600, then stopped)', () => {
  const capture = (edge: string, label: string) => {
    const found = VARNISH_CAPTURES.find((c) => c.edge === edge && c.label.startsWith(label));
    if (!found) throw new Error(`no capture ${edge} ${label}`);
    return found;
  };
  const observe = (primary: VarnishCapture, bypass?: VarnishCapture): Observation =>
    observationOf({
      status: primary.status,
      headers: primary.headers,
      body: primary.body,
      startedAt: primary.now,
      url: 'http://127.0.0.1/health',
      ...(bypass ? { bypass: bypassOf({ status: bypass.status, headers: bypass.headers, body: bypass.body, url: 'http://127.0.0.1/health?cc-bypass=1' }) } : {}),
    });
  const judged = (observation: Observation) => {
    const verdict = evaluate(specOf({ url: observation.url }), observation);
    return { status: verdict.status, causes: verdict.causes.map((c) => `${c.code}/${c.severity}`), state: verdict.evidence.cache.freshness?.state };
  };

  it('a fresh hit with the origin up is info', () => {
    const hit = capture('stock', 'hit: fresh');
    expect(judged(observe(hit, capture('stock', 'miss')))).toEqual({ status: 'up', causes: ['cached_response/info'], state: 'fresh' });
  });

  it('served from grace inside stale-while-revalidate while the bypass meets Varnish 503 is down', () => {
    const graced = capture('stock', 'origin stopped: served from grace');
    expect(judged(observe(graced, capture('stock', 'origin stopped, past ttl + grace')))).toEqual({ status: 'down', causes: ['stale_cache/down'], state: 'stale_while_revalidate' });
    // Without the bypass, stale-while-revalidate is what the origin allowed: no alarm on freshness alone.
    expect(judged(observe(graced))).toEqual({ status: 'up', causes: ['cached_response/info'], state: 'stale_while_revalidate' });
  });

  it('served from grace seconds past stale-while-revalidate is within what a stock cache does', () => {
    const graced = capture('grace-1h', 'origin stopped, past stale-while-revalidate');
    expect(judged(observe(graced))).toEqual({ status: 'up', causes: ['cached_response/info'], state: 'stale_if_error' });
  });

  it('served from a long grace well past stale-while-revalidate reads as stale-if-error: degraded alone, down with the failed bypass', () => {
    const graced = capture('grace-1h', 'origin stopped, long past stale-while-revalidate');
    expect(judged(observe(graced))).toEqual({ status: 'degraded', causes: ['stale_cache/degraded'], state: 'stale_if_error' });
    expect(judged(observe(graced, capture('stock', 'origin stopped, past ttl + grace')))).toEqual({ status: 'down', causes: ['stale_cache/down'], state: 'stale_if_error' });
  });

  it("Varnish's own 503 is down on its own", () => {
    const failed = capture('stock', 'origin stopped, past ttl + grace');
    expect(judged(observe(failed)).status).toBe('down');
  });
});
