#!/usr/bin/env node
/**
 * Captures the headers real Varnish sends for an object whose origin says
 * `Cache-Control: max-age=2, stale-while-revalidate=1, stale-if-error=600`, before and after the
 * origin stops, as the fixture of libs/checks/src/detectors/cache/freshness.spec.ts.
 *
 * Two Varnish instances in front of one loopback node origin:
 * - `stock`: varnishd -b (the builtin VCL). Varnish takes the grace from stale-while-revalidate
 *   (1 s), so after the origin stops it serves the object for one more second, then 503.
 * - `grace-1h`: `beresp.grace = 1h`, how operators get stale-if-error out of Varnish: it keeps
 *   serving the object for as long as the origin is down.
 *
 * Each response is recorded with `now`: Date.now() when its request started, the probe's clock
 * (`Observation.startedAt`). Loopback only; about 18 s (the last capture waits out the 10 s of
 * grace the judgement allows any cache). Needs varnishd (`apt-get install varnish`).
 *
 *   node scripts/capture-varnish-freshness.mjs [out.json]
 */
import { spawn } from 'node:child_process';
import console from 'node:console';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';

const OUT = process.argv[2] ?? new URL('../libs/checks/src/detectors/cache/__fixtures__/varnish-freshness.json', import.meta.url).pathname;
const CACHE_CONTROL = 'max-age=2, stale-while-revalidate=1, stale-if-error=600';
const VARNISHD = ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd'].find((path) => existsSync(path));
if (!VARNISHD) throw new Error('varnishd not found: apt-get install varnish');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(port) {
  const now = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', headers: { 'user-agent': 'crosscheck-capture' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        const headers = {};
        for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
        resolve({ now, status: response.statusCode, headers, body: body.slice(0, 200) });
      });
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error('timeout')));
  });
}

async function startVarnish(name, originPort, vcl) {
  const dir = mkdtempSync(join(tmpdir(), `capture-varnish-${name}-`));
  // varnishd drops privileges before it reads the VCL.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const backend = ['-b', `127.0.0.1:${originPort}`];
  let args = backend;
  if (vcl) {
    const file = join(dir, 'default.vcl');
    writeFileSync(file, vcl.replace('ORIGIN_PORT', String(originPort)), { mode: 0o644 });
    args = ['-f', file];
  }
  const child = spawn(VARNISHD, ['-F', '-n', join(dir, 'varnish'), '-a', `127.0.0.1:${port}`, '-T', '127.0.0.1:0', '-s', 'malloc,16m', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    const ready = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ready) break;
    if (child.exitCode !== null || attempt >= 200) {
      await stop();
      throw new Error(`varnishd ${name} did not start: ${output}`);
    }
    await sleep(50);
  }
  return { port, stop };
}

const GRACE_1H_VCL = `vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "ORIGIN_PORT"; .connect_timeout = 1s; }
sub vcl_backend_response { set beresp.grace = 1h; }
`;

const origin = http.createServer((request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': CACHE_CONTROL,
    'last-modified': new Date(Date.now() - 3600_000).toUTCString(),
    etag: '"v1"',
  });
  response.end('{"status":"ok"}\n');
});
await new Promise((resolve) => origin.listen(0, '127.0.0.1', resolve));
const originPort = origin.address().port;

const varnishes = [];
const captures = [];
const capture = async (edge, label, varnish) => captures.push({ edge, label, ...(await get(varnish.port)) });
try {
  const stock = await startVarnish('stock', originPort);
  varnishes.push(stock);
  const grace = await startVarnish('grace-1h', originPort, GRACE_1H_VCL);
  varnishes.push(grace);
  await capture('stock', 'miss: fetched from the origin', stock);
  await capture('grace-1h', 'miss: fetched from the origin', grace);
  await sleep(1100);
  await capture('stock', 'hit: fresh', stock);
  await capture('grace-1h', 'hit: fresh', grace);
  origin.closeAllConnections();
  await new Promise((resolve) => origin.close(resolve));
  await sleep(1000);
  await capture('stock', 'origin stopped: served from grace (stale-while-revalidate)', stock);
  await capture('grace-1h', 'origin stopped: served from grace (stale-while-revalidate)', grace);
  await sleep(1600);
  await capture('stock', 'origin stopped, past ttl + grace: Backend fetch failed', stock);
  await capture('grace-1h', 'origin stopped, past stale-while-revalidate: served from a 1 h grace', grace);
  // Past lifetime + stale-while-revalidate by more than a stock cache's own 10 s grace.
  await sleep(11_500);
  await capture('grace-1h', 'origin stopped, long past stale-while-revalidate: served from a 1 h grace', grace);
} finally {
  for (const varnish of varnishes) await varnish.stop();
  if (origin.listening) origin.close();
}

const fixture = {
  captured: new Date().toISOString(),
  software: (await new Promise((resolve) => {
    const child = spawn(VARNISHD, ['-V']);
    let text = '';
    child.stderr.on('data', (chunk) => (text += chunk));
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('exit', () => resolve(text.split('\n')[0]));
  })),
  originCacheControl: CACHE_CONTROL,
  captures,
};
writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
for (const c of captures) console.log(c.edge.padEnd(9), c.status, `age=${c.headers['age']}`, c.label);
console.log(`wrote ${OUT}`);
