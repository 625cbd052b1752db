import { afterEach, describe, expect, it } from 'vitest';
import { CachingEdge, NGINX_502_PAGE, NGINX_504_PAGE } from './caching-edge';
import { httpGet } from './http-get';
import { OriginSite } from './origin-site';

const ORIGIN_HOST = '127.0.0.62';
const EDGE_HOST = '127.0.0.63';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let origin: OriginSite | undefined;
let edge: CachingEdge | undefined;

async function setup(options: { maxAgeSeconds?: number; originTimeoutMs?: number } = {}): Promise<{ origin: OriginSite; edge: CachingEdge }> {
  origin = new OriginSite({ host: ORIGIN_HOST, name: 'edge-spec-origin', marker: 'edge-spec-marker', maxAgeSeconds: options.maxAgeSeconds ?? 1 });
  await origin.start();
  edge = new CachingEdge({ host: EDGE_HOST, origin: origin.origin, pop: 'spec', originTimeoutMs: options.originTimeoutMs ?? 2_000 });
  await edge.start();
  return { origin, edge };
}

afterEach(async () => {
  await edge?.stop();
  await origin?.stop();
  edge = undefined;
  origin = undefined;
});

describe('CachingEdge', () => {
  it('caches a 200: MISS then HIT with Age, Via and X-Served-By; the origin sees one request', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 60 });
    const first = await httpGet(edge.url);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['via']).toBe('1.1 crosscheck-demo-edge');
    expect(first.headers['x-served-by']).toBe('cache-spec');
    expect(first.headers['age']).toBe('0');
    expect(first.body).toContain('edge-spec-marker');
    await sleep(1_100);
    const second = await httpGet(edge.url);
    expect(second.status).toBe(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(Number(second.headers['age'])).toBeGreaterThanOrEqual(1);
    expect(second.body).toBe(first.body);
    expect(origin.requestsTo('/')).toBe(1);
    expect(edge.stats).toEqual({ HIT: 1, MISS: 1, STALE: 0 });
  });

  it("ignores the request's Cache-Control: no-cache, like real edges by default", async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 60 });
    await httpGet(edge.url);
    const again = await httpGet(edge.url, { headers: { 'cache-control': 'no-cache', pragma: 'no-cache' } });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(origin.requestsTo('/')).toBe(1);
  });

  it('a unique query string is a miss that reaches the origin', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 60 });
    await httpGet(edge.url);
    const bypass = await httpGet(`${edge.origin}/?_crosscheck_bypass=abc123`, { headers: { 'cache-control': 'no-cache' } });
    expect(bypass.status).toBe(200);
    expect(bypass.headers['x-cache']).toBe('MISS');
    expect(origin.requestsTo('/')).toBe(2);
  });

  it('origin down: a cached page is served STALE with status 200 and a growing Age (the lie)', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 1 });
    const fresh = await httpGet(edge.url);
    await origin.down();
    await sleep(1_100);
    const stale = await httpGet(edge.url);
    expect(stale.status).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.body).toBe(fresh.body);
    expect(stale.body).toContain('edge-spec-marker');
    const firstAge = Number(stale.headers['age']);
    expect(firstAge).toBeGreaterThanOrEqual(1);
    await sleep(1_100);
    const later = await httpGet(edge.url);
    expect(later.headers['x-cache']).toBe('STALE');
    expect(Number(later.headers['age'])).toBeGreaterThan(firstAge);
  });

  it("origin down: a miss (unique query string) answers 502 with nginx's error page", async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 1 });
    await httpGet(edge.url);
    await origin.down();
    const miss = await httpGet(`${edge.origin}/?_crosscheck_bypass=${Date.now()}`, { headers: { 'cache-control': 'no-cache' } });
    expect(miss.status).toBe(502);
    expect(miss.body).toBe(NGINX_502_PAGE);
    expect(miss.body).toContain('<title>502 Bad Gateway</title>');
    expect(miss.body).toContain('<hr><center>nginx</center>');
    expect(miss.headers['server']).toBe('nginx');
    expect(miss.headers['content-type']).toBe('text/html');
    expect(miss.headers['x-cache']).toBe('MISS');
  });

  it('origin unhealthy (500): the cached page is served STALE, a miss passes the 500 through', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 1 });
    await httpGet(edge.url);
    await origin.unhealthy();
    await sleep(1_100);
    const stale = await httpGet(edge.url);
    expect(stale.status).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    const miss = await httpGet(`${edge.origin}/?unique=1`);
    expect(miss.status).toBe(500);
    expect(miss.headers['x-cache']).toBe('MISS');
  });

  it("origin too slow: a miss answers nginx's 504 page, a cached page is served STALE", async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 1, originTimeoutMs: 300 });
    await httpGet(edge.url);
    await origin.slow(2_000);
    await sleep(1_100);
    const stale = await httpGet(edge.url);
    expect(stale.status).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    const miss = await httpGet(`${edge.origin}/?unique=2`);
    expect(miss.status).toBe(504);
    expect(miss.body).toBe(NGINX_504_PAGE);
  });

  it('origin back: an expired entry is refreshed (MISS) and fresh again', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 1 });
    await httpGet(edge.url);
    await origin.down();
    await sleep(1_100);
    expect((await httpGet(edge.url)).headers['x-cache']).toBe('STALE');
    await origin.up();
    const refreshed = await httpGet(edge.url);
    expect(refreshed.headers['x-cache']).toBe('MISS');
    expect(refreshed.headers['age']).toBe('0');
  });

  it('does not cache no-store responses (/health always reaches the origin)', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 60 });
    await httpGet(`${edge.origin}/health`);
    const again = await httpGet(`${edge.origin}/health`);
    expect(again.headers['x-cache']).toBe('MISS');
    expect(origin.requestsTo('/health')).toBe(2);
    await origin.down();
    expect((await httpGet(`${edge.origin}/health`)).status).toBe(502);
  });

  it('HEAD is answered from the cache without a body; a matching If-None-Match gets 304', async () => {
    const { edge } = await setup({ maxAgeSeconds: 60 });
    const full = await httpGet(edge.url);
    const head = await httpGet(edge.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.body).toBe('');
    const conditional = await httpGet(edge.url, { headers: { 'if-none-match': full.headers['etag']! } });
    expect(conditional.status).toBe(304);
    expect(conditional.headers['x-cache']).toBe('HIT');
  });

  it('purge() forgets the cache: with the origin down a purged page is a 502', async () => {
    const { origin, edge } = await setup({ maxAgeSeconds: 60 });
    await httpGet(edge.url);
    expect(edge.size).toBe(1);
    edge.purge();
    await origin.down();
    expect((await httpGet(edge.url)).status).toBe(502);
  });
});
