/**
 * Raw-HTTP fuzz of the coordinator, as a real process: bytes on a TCP socket that no client
 * library would send. Crafted cases (bad encodings, invalid UTF-8, truncated bodies, huge headers,
 * chunked-encoding abuse, JSON 30,000 and 100,000 levels deep, 10 MB bodies, wrong content types, HTTP/1.0
 * and 0.9, pipelined requests), then requests assembled at random from the same pieces.
 *
 * The rule: the server answers 4xx (or 2xx where the request was fine) or closes the connection;
 * never a 5xx, never a hang, never a crash (`/health` answers afterwards, the process still runs).
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuzzTally, fuzzRunsScale, fuzzSeed } from './support/fuzz-tally';
import { rawExchange, rawRequest, type RawExchange } from './support/raw-http';
import { startRedis, type TestRedis } from './support/redis-server';
import { startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';

const TOKEN = 'fuzz-http-token-0123456789abcdef';
const SEED = fuzzSeed();
const RANDOM_RUNS = Math.max(1, Math.round(400 * fuzzRunsScale()));
const AUTH: [string, string] = ['Authorization', `Bearer ${TOKEN}`];
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];
const VALID_MONITOR = JSON.stringify({ name: 'raw', url: 'http://127.0.0.1:9/', regions: ['raw-fuzz'], intervalSeconds: 3_600 });

let redis: TestRedis;
let coordinator: Coordinator;
let port = 0;
let monitorId = '';
const tally = new FuzzTally('raw HTTP fuzz', SEED);

/** One crafted case: bytes (in parts), and the statuses it may get besides "closed". */
interface RawCase {
  name: string;
  parts: Array<string | Buffer>;
  /** Every answer must be one of these; default any status below 500. */
  allowed?: number[];
  /** Answers expected at least (pipelining). */
  minAnswers?: number;
  methods?: string[];
  pauseMs?: number;
  /** Half-close right after writing: the case is about what the server does at end of input. */
  eof?: boolean;
}

function host(): [string, string] {
  return ['Host', `127.0.0.1:${port}`];
}

function post(path: string, headers: Array<[string, string]>, body: string | Buffer): Buffer {
  return rawRequest(`POST ${path} HTTP/1.1`, [host(), AUTH, ...headers], body);
}

function withLength(body: string | Buffer): [string, string] {
  return ['Content-Length', String(Buffer.byteLength(body))];
}

function cases(): RawCase[] {
  const json = Buffer.from(VALID_MONITOR);
  const gz = gzipSync(json);
  // Under the 64 KiB body limit, so the depth limit is what answers; 100,000 levels meet the size limit first.
  const deepArrays = '['.repeat(30_000) + ']'.repeat(30_000);
  const deepObjects = `{"expect":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
  const hugeDeepArrays = '['.repeat(100_000) + ']'.repeat(100_000);
  const tenMegabytes = Buffer.alloc(10 * 1024 * 1024, 'a');
  const health = `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
  return [
    // Encodings
    { name: 'gzip declared, body not gzip', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'gzip'], withLength(json)], json)], allowed: [400] },
    { name: 'gzip truncated', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'gzip'], withLength(gz.subarray(0, 20))], gz.subarray(0, 20))], allowed: [400] },
    { name: 'deflate declared, gzip sent', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'deflate'], withLength(gz)], gz)], allowed: [400] },
    { name: 'br declared, garbage sent', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'br'], withLength('garbage!')], 'garbage!')], allowed: [400] },
    { name: 'unknown Content-Encoding', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'compress'], withLength(json)], json)], allowed: [415] },
    { name: 'stacked Content-Encoding', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'gzip, gzip'], withLength(gz)], gz)], allowed: [415] },
    { name: 'valid gzip is accepted', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'gzip'], withLength(gz)], gz)], allowed: [201] },
    {
      name: 'gzip bomb (8 MiB inflated from a few KiB)',
      parts: [(() => {
        const bomb = gzipSync(Buffer.from(`{"name":"${'x'.repeat(8 * 1024 * 1024)}"}`));
        return post('/v1/monitors', [JSON_TYPE, ['Content-Encoding', 'gzip'], withLength(bomb)], bomb);
      })()],
      allowed: [413],
    },
    // Character sets and UTF-8
    { name: 'invalid UTF-8 in a JSON string', parts: [post('/v1/monitors', [JSON_TYPE, withLength(Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]))], Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]))], allowed: [400] },
    { name: 'UTF-16 body declared UTF-8', parts: [post('/v1/monitors', [JSON_TYPE, withLength(Buffer.from(VALID_MONITOR, 'utf16le'))], Buffer.from(VALID_MONITOR, 'utf16le'))], allowed: [400] },
    { name: 'charset=utf-16 with a UTF-8 body', parts: [post('/v1/monitors', [['Content-Type', 'application/json; charset=utf-16'], withLength(json)], json)], allowed: [400, 415] },
    { name: 'unknown charset', parts: [post('/v1/monitors', [['Content-Type', 'application/json; charset=klingon'], withLength(json)], json)], allowed: [415] },
    { name: 'BOM before JSON', parts: [post('/v1/monitors', [JSON_TYPE, withLength(`\uFEFF${VALID_MONITOR}`)], `\uFEFF${VALID_MONITOR}`)], allowed: [201, 400] },
    { name: 'invalid UTF-8 in the path', parts: [Buffer.concat([Buffer.from('GET /v1/monitors/'), Buffer.from([0xff, 0xfe]), Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`)])], allowed: [400, 404] },
    { name: 'percent-encoded invalid UTF-8 in the path', parts: [rawRequest('GET /v1/monitors/%ff%fe%c0%af HTTP/1.1', [host(), AUTH])], allowed: [400, 404] },
    { name: 'NUL in a header value', parts: [rawRequest('GET /health HTTP/1.1', [host(), ['X-Test', 'a\u0000b']])], allowed: [400] },
    // Truncated and mis-sized bodies
    { name: 'Content-Length larger than the body, then EOF', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Length', '1000']], '{"name":')], eof: true },
    { name: 'Content-Length smaller than the body', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Length', '5']], VALID_MONITOR)] },
    { name: 'two different Content-Lengths', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Length', '5'], ['Content-Length', '6']], 'abcdef')], allowed: [400] },
    { name: 'negative Content-Length', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Length', '-1']], '{}')], allowed: [400] },
    { name: 'Content-Length with a sign', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Length', '+2']], '{}')], allowed: [400] },
    { name: 'enormous Content-Length', parts: [post('/v1/monitors', [JSON_TYPE, ['Content-Length', '99999999999999999999']], '{}')], allowed: [400, 413] },
    // Huge headers and URLs
    { name: 'one 100 KB header', parts: [rawRequest('GET /health HTTP/1.1', [host(), ['X-Big', 'x'.repeat(100_000)]])], allowed: [431] },
    { name: '2,000 headers', parts: [rawRequest('GET /health HTTP/1.1', [host(), ...Array.from({ length: 2_000 }, (_, i): [string, string] => [`X-H${i}`, 'v'])])], allowed: [200, 431] },
    { name: 'a 100 KB URL', parts: [rawRequest(`GET /v1/monitors/${'a'.repeat(100_000)} HTTP/1.1`, [host(), AUTH])], allowed: [414, 431] },
    { name: 'a 1 MB Authorization header', parts: [rawRequest('GET /v1/monitors HTTP/1.1', [host(), ['Authorization', `Bearer ${'t'.repeat(1_000_000)}`]])], allowed: [431] },
    { name: 'a header line without a colon', parts: [`GET /health HTTP/1.1\r\nHost: x\r\nthis is not a header\r\n\r\n`], allowed: [400] },
    { name: 'obs-fold header continuation', parts: [`GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n`], allowed: [200, 400] },
    { name: 'a space before the colon', parts: [`GET /health HTTP/1.1\r\nHost : x\r\n\r\n`], allowed: [400] },
    // Chunked encoding abuse
    { name: 'chunk size not hex', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`], allowed: [400] },
    { name: 'chunk size overflowing 64 bits', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n`], allowed: [400, 413] },
    { name: 'chunk longer than its size', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{"name":1}\r\n0\r\n\r\n`], allowed: [400] },
    { name: 'chunked never terminated, then EOF', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n`], eof: true },
    { name: 'headers cut off mid-line, then EOF', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nContent-Le`], eof: true },
    { name: 'request line only, then EOF', parts: ['GET /health HTTP/1.1\r\n'], eof: true },
    { name: 'huge chunk extension', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2;${'e'.repeat(100_000)}\r\n{}\r\n0\r\n\r\n`], allowed: [400, 413] },
    { name: 'huge trailers', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: ${'t'.repeat(100_000)}\r\n\r\n`], allowed: [400, 431] },
    { name: 'Content-Length and Transfer-Encoding together (smuggling)', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n`], allowed: [400] },
    { name: 'Transfer-Encoding: chunked, identity', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n`], allowed: [400, 501] },
    { name: 'unknown Transfer-Encoding', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}`], allowed: [400, 501] },
    {
      name: 'chunked in one-byte chunks, arriving slowly',
      parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, ...[...'{"name":1}'].map((c) => `1\r\n${c}\r\n`), '0\r\n\r\n'],
      pauseMs: 5,
      allowed: [400],
    },
    // Deep and huge bodies
    { name: 'JSON arrays 30,000 levels deep', parts: [post('/v1/monitors', [JSON_TYPE, withLength(deepArrays)], deepArrays)], allowed: [400] },
    { name: 'JSON arrays 100,000 levels deep (200 KB)', parts: [post('/v1/monitors', [JSON_TYPE, withLength(hugeDeepArrays)], hugeDeepArrays)], allowed: [413] },
    { name: 'a merge patch 10,000 levels deep', parts: [rawRequest(`PATCH /v1/monitors/${monitorId} HTTP/1.1`, [host(), AUTH, ['Content-Type', 'application/merge-patch+json'], withLength(deepObjects)], deepObjects)], allowed: [400] },
    { name: '10 MB body with Content-Length', parts: [post('/v1/monitors', [JSON_TYPE, withLength(tenMegabytes)], tenMegabytes)], allowed: [413] },
    {
      name: '10 MB body, chunked',
      parts: [
        `POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        ...Array.from({ length: 10 }, () => Buffer.concat([Buffer.from('100000\r\n'), Buffer.alloc(0x100000, 'a'), Buffer.from('\r\n')])),
        '0\r\n\r\n',
      ],
      allowed: [413],
    },
    { name: '10 MB of text/plain', parts: [post('/v1/monitors', [['Content-Type', 'text/plain'], withLength(tenMegabytes)], tenMegabytes)], allowed: [400, 413] },
    // Wrong content types
    { name: 'JSON as text/plain', parts: [post('/v1/monitors', [['Content-Type', 'text/plain'], withLength(json)], json)], allowed: [400, 415] },
    { name: 'JSON as form-urlencoded', parts: [post('/v1/monitors', [['Content-Type', 'application/x-www-form-urlencoded'], withLength('name=x&regions=a')], 'name=x&regions=a')], allowed: [400, 415] },
    { name: 'multipart with a broken boundary', parts: [post('/v1/monitors', [['Content-Type', 'multipart/form-data; boundary='], withLength('--\r\n')], '--\r\n')], allowed: [400, 415] },
    { name: 'a Content-Type that does not parse', parts: [post('/v1/monitors', [['Content-Type', 'application/json; charset="'], withLength(json)], json)], allowed: [201, 400, 415] },
    { name: 'no Content-Type with a body', parts: [post('/v1/monitors', [withLength(json)], json)], allowed: [400, 415] },
    // Protocol versions and request lines
    { name: 'HTTP/1.0 without Host', parts: ['GET /health HTTP/1.0\r\n\r\n'], allowed: [200] },
    { name: 'HTTP/1.0 keep-alive, two requests', parts: ['GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /health HTTP/1.0\r\n\r\n'], allowed: [200], minAnswers: 1 },
    { name: 'HTTP/1.1 without Host', parts: ['GET /health HTTP/1.1\r\n\r\n'], allowed: [400] },
    { name: 'HTTP/0.9', parts: ['GET /health\r\n\r\n'], allowed: [200, 400, 505] },
    { name: 'HTTP/2 preface on HTTP/1', parts: ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'], allowed: [400, 505] },
    { name: 'HTTP/1.2', parts: ['GET /health HTTP/1.2\r\nHost: x\r\n\r\n'], allowed: [200, 400, 505] },
    { name: 'HTTP/3.0', parts: ['GET /health HTTP/3.0\r\nHost: x\r\n\r\n'], allowed: [400, 505] },
    { name: 'bare LF line endings', parts: ['GET /health HTTP/1.1\nHost: x\n\n'], allowed: [200, 400] },
    { name: 'unknown method', parts: ['FOO /health HTTP/1.1\r\nHost: x\r\n\r\n'], allowed: [400, 404, 405, 501] },
    { name: 'lowercase method', parts: ['get /health HTTP/1.1\r\nHost: x\r\n\r\n'], allowed: [400, 405, 501] },
    { name: 'CONNECT', parts: ['CONNECT 127.0.0.1:6379 HTTP/1.1\r\nHost: 127.0.0.1:6379\r\n\r\n'] },
    { name: 'TRACE', parts: ['TRACE /health HTTP/1.1\r\nHost: x\r\n\r\n'], allowed: [404, 405] },
    { name: 'absolute-form target', parts: ['GET http://169.254.169.254/latest HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n'], allowed: [400, 404] },
    { name: 'asterisk-form target', parts: ['OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'], allowed: [400, 404] },
    { name: 'a target with spaces', parts: ['GET /v1/monitors/a b c HTTP/1.1\r\nHost: x\r\n\r\n'], allowed: [400, 404, 505] },
    { name: 'Expect: 100-continue, then the body', parts: [`POST /v1/monitors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${json.length}\r\n\r\n`, json], pauseMs: 50, allowed: [201] },
    { name: 'Expect: something else', parts: [post('/v1/monitors', [JSON_TYPE, ['Expect', 'teapot'], withLength(json)], json)], allowed: [417] },
    { name: 'Upgrade: websocket', parts: [`GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`] },
    { name: 'garbage bytes', parts: [Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])], allowed: [400] },
    { name: 'nothing at all', parts: [] },
    // Pipelining
    { name: '50 pipelined GET /health', parts: [health.repeat(50)], allowed: [200], minAnswers: 50 },
    {
      name: 'pipelined: POST, GET, a broken one, GET',
      parts: [
        Buffer.concat([
          post('/v1/monitors', [JSON_TYPE, withLength('{')], '{'),
          Buffer.from(health),
          Buffer.from('GARBAGE\r\n\r\n'),
          Buffer.from(health),
        ]),
      ],
      // Node answers a framing error at once and closes: answers still owed to earlier requests are lost.
      allowed: [400, 200],
      minAnswers: 1,
    },
    {
      name: 'pipelined, split mid-request',
      parts: [health + 'GET /hea', 'lth HTTP/1.1\r\nHost: x\r\n\r\n'],
      pauseMs: 20,
      allowed: [200],
      minAnswers: 2,
    },
    { name: 'pipelined HEAD and GET', parts: [`HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n${health}`], methods: ['HEAD', 'GET'], allowed: [200], minAnswers: 2 },
  ];
}

function judge(name: string, exchange: RawExchange, allowed: number[] | undefined, minAnswers = 0): void {
  for (const status of exchange.statuses) tally.record({ kind: 'status', status });
  if (exchange.statuses.length === 0) tally.record(exchange.timedOut ? { kind: 'hang' } : { kind: 'closed' });
  const answer = `statuses ${JSON.stringify(exchange.statuses)}, closed ${exchange.closed}, ${exchange.bytesRead} bytes: ${JSON.stringify(exchange.head.slice(0, 200))}`;
  if (exchange.timedOut) tally.violation({ rule: 'hang', request: name, answer });
  if (exchange.parseError !== undefined) tally.violation({ rule: 'not HTTP', request: name, answer: `${exchange.parseError}; ${answer}` });
  for (const status of exchange.statuses) {
    if (status >= 500 && !(allowed ?? []).includes(status)) tally.violation({ rule: String(status), request: name, answer });
    else if (allowed !== undefined && !allowed.includes(status)) tally.violation({ rule: `expected ${allowed.join('/')}`, request: name, answer });
  }
  if (exchange.statuses.length < minAnswers) tally.violation({ rule: `expected ${minAnswers} answers`, request: name, answer });
}

// ---------------------------------------------------------------------------------------------
// Random requests, assembled from pieces.

const methodArb = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), weight: 8 },
  { arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'get', 'FOO', 'M-SEARCH', '', 'G ET', 'GET\u0000', 'X'.repeat(200)), weight: 2 },
);
const targetArb = fc.oneof(
  { arbitrary: fc.constantFrom('/health', '/v1/monitors', '/v1/webhooks', '/v1/incidents?state=open', '/docs-json', '/v1/monitors/{id}', '/v1/monitors/{id}/results?cursor=0-0'), weight: 6 },
  { arbitrary: fc.constantFrom('*', 'http://x/health', '//health', '/%', '/%00', '/\u00ff', '/../../etc/passwd', '', ' ', '/a b', '/v1/monitors?' + 'a=1&'.repeat(2_000)), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => `/${s}`), weight: 1 },
);
const versionArb = fc.oneof(
  { arbitrary: fc.constant('HTTP/1.1'), weight: 8 },
  { arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/11', 'http/1.1', '', 'HTTP/1.1 extra', 'HTTP/9.9'), weight: 2 },
);
const headerArb: fc.Arbitrary<[string, string]> = fc.oneof(
  { arbitrary: fc.constantFrom<[string, string]>(AUTH, JSON_TYPE, ['Content-Type', 'application/merge-patch+json'], ['Connection', 'close'], ['Connection', 'keep-alive'], ['Accept', '*/*']), weight: 6 },
  {
    arbitrary: fc.constantFrom<[string, string]>(
      ['Content-Encoding', 'gzip'],
      ['Content-Encoding', 'br'],
      ['Content-Encoding', 'identity, gzip'],
      ['Transfer-Encoding', 'chunked'],
      ['Transfer-Encoding', 'chunked, chunked'],
      ['Content-Length', '0'],
      ['Content-Length', '10'],
      ['Content-Length', '1e3'],
      ['Content-Length', ' 5 '],
      ['Content-Type', 'application/json; charset=utf-16'],
      ['Content-Type', 'text/plain'],
      ['Content-Type', ''],
      ['Authorization', 'Bearer'],
      ['Authorization', 'Basic Og=='],
      ['Expect', '100-continue'],
      ['Host', ''],
      ['Host', 'a b'],
      ['X-Forwarded-For', '1.1.1.1, 2.2.2.2'],
      ['Cookie', 'a=b; c'],
      ['Range', 'bytes=0-1,0-1'],
      ['If-None-Match', '*'],
      ['X-Ctl', '\u0001\u0002'],
      ['X-Latin', '\u00e9\u00ff'],
      ['', 'empty name'],
      ['Bad Name', 'x'],
      ['X-Long', 'v'.repeat(20_000)],
    ),
    weight: 3,
  },
  { arbitrary: fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((v) => v.replace(/[\r\n]/g, ''))), weight: 1 },
);
const bodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.constant(Buffer.alloc(0)), weight: 4 },
  { arbitrary: fc.constantFrom(VALID_MONITOR, '{}', '[]', '{"name":', 'null', '"x"', '{"__proto__":{"admin":true}}', '0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n').map((s) => Buffer.from(s)), weight: 4 },
  { arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)), weight: 2 },
  { arbitrary: fc.constant(gzipSync(Buffer.from(VALID_MONITOR))), weight: 1 },
);

interface RandomRequest {
  method: string;
  bytes: Buffer;
  cuts: number[];
  description: string;
}

const randomRequestArb: fc.Arbitrary<RandomRequest> = fc
  .record({
    method: methodArb,
    target: targetArb,
    version: versionArb,
    hostHeader: fc.boolean(),
    headers: fc.array(headerArb, { maxLength: 6 }),
    body: bodyArb,
    length: fc.constantFrom('exact', 'exact', 'exact', 'none', 'more', 'less'),
    lineEnd: fc.oneof({ arbitrary: fc.constant('\r\n'), weight: 9 }, { arbitrary: fc.constantFrom('\n', '\r', '\r\r\n'), weight: 1 }),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map(({ method, target, version, hostHeader, headers, body, length, lineEnd, cuts }) => {
    const all: Array<[string, string]> = [...(hostHeader ? [host()] : []), ...headers];
    if (length !== 'none' && !headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name))) {
      const size = body.length + (length === 'more' ? 10 : length === 'less' ? -Math.min(body.length, 3) : 0);
      all.push(['Content-Length', String(size)]);
    }
    const line = `${method} ${target.replace('{id}', monitorId)} ${version}`.trimEnd();
    const head = `${line}${lineEnd}${all.map(([name, value]) => `${name}: ${value}${lineEnd}`).join('')}${lineEnd}`;
    const bytes = Buffer.concat([Buffer.from(head, 'latin1'), body]);
    return { method, bytes, cuts, description: `${JSON.stringify(head.slice(0, 300))} + ${body.length} body bytes` };
  });

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % Math.max(bytes.length, 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    if (point > from) parts.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  parts.push(bytes.subarray(from));
  return parts;
}

beforeAll(async () => {
  redis = await startRedis({ persistent: true, source: 'binary' });
  coordinator = await startCoordinator({ redisUrl: redis.url, token: TOKEN, name: 'coordinator-fuzz-http', env: { LOG_LEVEL: 'warn', MIN_INTERVAL_SECONDS: '10', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_MINUTE_PER_ADDRESS: '1000000' } });
  port = Number(new URL(coordinator.baseUrl).port);
  // The monitors these requests create name this region: with a live agent there, /health stays ok.
  startAgent({ redisUrl: redis.url, region: 'raw-fuzz', agentId: 'raw-fuzz-1' });
  const created = await fetch(`${coordinator.baseUrl}/v1/monitors`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: VALID_MONITOR });
  expect(created.status).toBe(201);
  monitorId = ((await created.json()) as { id: string }).id;
  console.log(`raw HTTP fuzz: seed ${SEED} (FUZZ_SEED=${SEED} to replay), ${RANDOM_RUNS} random requests`);
});

afterAll(async () => {
  console.log(tally.summary());
  await stopAllSystemProcesses();
  await redis?.stop();
});

async function stillHealthy(): Promise<void> {
  expect(coordinator.running(), coordinator.tail()).toBe(true);
  const health = await fetch(`${coordinator.baseUrl}/health`);
  expect(health.status, await health.text()).toBe(200);
}

describe('raw HTTP fuzz', () => {
  it('answers each crafted request with a 4xx (or the success it deserves) or a close; never a 5xx or a hang', async () => {
    const outcomes: string[] = [];
    for (const rawCase of cases()) {
      const exchange = await rawExchange('127.0.0.1', port, rawCase.parts, {
        halfClose: rawCase.eof ? 'after-write' : 'when-silent',
        expectAnswers: rawCase.minAnswers ?? 1,
        ...(rawCase.pauseMs ? { pauseMs: rawCase.pauseMs } : {}),
        ...(rawCase.methods ? { methods: rawCase.methods } : {}),
      });
      judge(rawCase.name, exchange, rawCase.allowed, rawCase.minAnswers);
      const statuses = exchange.statuses.length > 3 ? `${exchange.statuses.length} x ${[...new Set(exchange.statuses)].join('/')}` : exchange.statuses.join(', ') || (exchange.timedOut ? 'hung' : 'closed');
      outcomes.push(`  ${rawCase.name.padEnd(58)} ${statuses}`);
    }
    console.log(`crafted cases:\n${outcomes.join('\n')}`);
    expect(tally.violations, tally.summary()).toEqual([]);
    await stillHealthy();
  });

  it('answers random requests from the same pieces with less than 500, and never hangs', async () => {
    const before = tally.violations.length;
    await fc.assert(
      fc.asyncProperty(randomRequestArb, async (request) => {
        const exchange = await rawExchange('127.0.0.1', port, split(request.bytes, request.cuts), { silenceMs: 1_000, methods: [request.method] });
        judge(request.description, exchange, undefined);
      }),
      { numRuns: RANDOM_RUNS, seed: SEED },
    );
    expect(tally.violations.slice(before), tally.summary()).toEqual([]);
    await stillHealthy();
  }, 120_000 * fuzzRunsScale());
});
