import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { chooseEncoding } from './dashboard-middleware';

/** Raw bytes of an answer, as the server sent them (fetch would decompress them). */
async function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') out.set(name, value);
        resolve({ status: response.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

/**
 * The dashboard's built files at `/`: the page never cached stale and under a CSP, hashed assets
 * cached for good and compressed, and nothing of the API shadowed. A coordinator without a build
 * says how to make one.
 */
describe('the dashboard served at /', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-dashboard-'));
  const script = `console.log(${JSON.stringify('crosscheck '.repeat(400))});\n`;
  let built: TestCoordinator;
  let unbuilt: TestCoordinator;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, 'v1'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Crosscheck</title><script type="module" src="./assets/index-3f9c.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-3f9c.js'), script);
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // A build must never answer for the API.
    writeFileSync(join(dir, 'v1', 'monitors'), 'shadow');
    built = await startTestCoordinator({ dashboardDir: dir });
    unbuilt = await startTestCoordinator({ dashboardDir: join(dir, 'nothing-here') });
  });

  afterAll(async () => {
    await Promise.all([built?.close(), unbuilt?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the page at / without a token: no-cache, a CSP without inline script, no framing', async () => {
    for (const path of ['/', '/index.html', '/?from=bookmark']) {
      const response = await fetch(`${built.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('<title>Crosscheck</title>');
    }
    const head = await fetch(`${built.baseUrl}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers hashed assets cached for a year, Brotli or gzip as the client takes them, and 304 on a matching ETag', async () => {
    const url = `${built.baseUrl}/assets/index-3f9c.js`;
    const br = await raw(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    const gzip = await raw(url, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);
    const plain = await raw(url);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.body.toString()).toBe(script);

    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    expect((await raw(url, { 'if-none-match': etag })).status).toBe(304);
    expect((await fetch(`${built.baseUrl}/favicon.svg`)).headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('leaves the API alone: /v1 needs its token, unknown assets and other methods are problems', async () => {
    const monitors = await fetch(`${built.baseUrl}/v1/monitors`);
    expect(monitors.status).toBe(401);
    expect(monitors.headers.get('content-type')).toContain('application/problem+json');
    expect((await built.request('/v1/monitors')).status).toBe(200);
    expect((await fetch(`${built.baseUrl}/health`)).headers.get('content-type')).toContain('application/json');
    // Sent as written (fetch would resolve the dots): a path is looked up, never joined onto the disk.
    const { request } = await import('node:http');
    const traversal = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(built.baseUrl);
      request({ hostname, port, path: '/assets/../index.html' }, (response) => resolve(response.resume().statusCode ?? 0)).on('error', reject).end();
    });
    expect(traversal).toBe(404);
    for (const [method, path] of [['GET', '/assets/missing.js'], ['GET', '/assets/'], ['POST', '/']] as const) {
      const response = await fetch(`${built.baseUrl}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get('content-type'), `${method} ${path}`).toContain('application/problem+json');
    }
  });

  it('without a build, / says how to build it and the API still answers', async () => {
    const page = await fetch(`${unbuilt.baseUrl}/`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await page.text();
    expect(text).toContain('npm run build');
    expect(text).not.toContain(dir);
    expect((await unbuilt.request('/v1/monitors')).status).toBe(200);
  });
});

describe('chooseEncoding', () => {
  const both = { gzip: Buffer.alloc(1), brotli: Buffer.alloc(1) };
  it.each([
    [undefined, both, 'identity'],
    ['gzip, deflate, br', both, 'br'],
    ['br;q=0, gzip', both, 'gzip'],
    ['BR', both, 'br'],
    ['*', both, 'br'],
    ['gzip;q=0', both, 'identity'],
    ['br', { gzip: Buffer.alloc(1), brotli: null }, 'identity'],
    ['gzip, br', { gzip: null, brotli: null }, 'identity'],
  ] as const)('%s -> %s', (header, asset, expected) => {
    expect(chooseEncoding(header, asset)).toBe(expected);
  });
});
