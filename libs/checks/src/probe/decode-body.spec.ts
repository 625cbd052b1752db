import { Readable } from 'node:stream';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipOfZeros } from './__fixtures__/test-servers';
import { parseContentEncoding, readBody } from './decode-body';
import { ProbeFailure } from './probe-error';

const TEXT = 'Grüße, world! '.repeat(200);

/** A body arriving in small chunks, as from a socket. */
function bodyOf(bytes: Buffer, chunkSize = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

describe('readBody: decoding', () => {
  it.each([
    { encoding: undefined, encode: (b: Buffer) => b, recorded: undefined },
    { encoding: 'identity', encode: (b: Buffer) => b, recorded: undefined },
    { encoding: 'gzip', encode: gzipSync, recorded: 'gzip' },
    { encoding: 'x-gzip', encode: gzipSync, recorded: 'x-gzip' },
    { encoding: 'GZIP', encode: gzipSync, recorded: 'gzip' },
    { encoding: 'deflate', encode: deflateSync, recorded: 'deflate' },
    { encoding: 'deflate', encode: deflateRawSync, recorded: 'deflate' },
    { encoding: 'br', encode: brotliCompressSync, recorded: 'br' },
    { encoding: 'gzip, br', encode: (b: Buffer) => brotliCompressSync(gzipSync(b)), recorded: 'gzip, br' },
  ])('decodes $encoding ($encode.name)', async ({ encoding, encode, recorded }) => {
    const read = await readBody(bodyOf(encode(Buffer.from(TEXT))), encoding, 1024 * 1024);

    expect(read.error).toBeUndefined();
    expect(read.facts.body).toBe(TEXT);
    expect(read.facts.bodyBytes).toBe(Buffer.byteLength(TEXT));
    expect(read.facts.bodyTruncated).toBe(false);
    expect(read.facts.contentEncoding).toBe(recorded);
  });

  it('keeps an unknown encoding as raw bytes and says what it was', async () => {
    const raw = Buffer.from('compressed-looking bytes');
    const read = await readBody(bodyOf(raw), 'zstd', 1024);
    expect(read.facts).toMatchObject({ body: 'compressed-looking bytes', bodyBytes: raw.length, contentEncoding: 'zstd' });
  });

  it.each(['gzip', 'deflate', 'br'])('reports a corrupt %s body as protocol_error, keeping what decoded', async (encoding) => {
    const read = await readBody(bodyOf(Buffer.from('definitely not compressed data, no header at all')), encoding, 1024);
    expect(read.error).toBeInstanceOf(ProbeFailure);
    expect(read.error).toMatchObject({ code: 'protocol_error', phase: 'body' });
  });

  it('reports a gzip stream cut short as protocol_error', async () => {
    const gz = gzipSync(Buffer.from(TEXT));
    const read = await readBody(bodyOf(gz.subarray(0, gz.length - 12)), 'gzip', 1024 * 1024);
    expect(read.error).toMatchObject({ code: 'protocol_error', phase: 'body' });
    expect(read.facts.bodyBytes).toBeGreaterThan(0);
  });

  it('passes a transport error through untouched, with the bytes read before it', async () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const source = new Readable({ read() {} });
    source.push(Buffer.from('partial'));
    setTimeout(() => source.destroy(reset), 10);
    const read = await readBody(source, undefined, 1024);
    expect(read.error).toBe(reset);
    expect(read.facts.body).toBe('partial');
  });
});

describe('readBody: the cap', () => {
  it.each([
    { size: 1023, truncated: false, kept: 1023 },
    { size: 1024, truncated: false, kept: 1024 },
    { size: 1025, truncated: true, kept: 1024 },
    { size: 100_000, truncated: true, kept: 1024 },
  ])('a $size-byte body under a 1024-byte cap keeps $kept (truncated: $truncated)', async ({ size, truncated, kept }) => {
    const read = await readBody(bodyOf(Buffer.alloc(size, 'a'), 100), undefined, 1024);
    expect(read.facts.bodyBytes).toBe(kept);
    expect(read.facts.bodyTruncated).toBe(truncated);
    expect(read.facts.body).toHaveLength(kept);
  });

  it.each([
    { what: 'an ASCII body', text: 'status=UP;'.repeat(30_000) },
    { what: 'a UTF-8 body', text: 'Grüße, 世界! '.repeat(20_000) },
    { what: 'an ASCII body with one non-ASCII character at its end', text: `${'a'.repeat(200_000)}é` },
  ])('keeps $what arriving in many small chunks, whole and in order', async ({ text }) => {
    const bytes = Buffer.from(text);
    const read = await readBody(bodyOf(bytes, 777), undefined, 1024 * 1024);
    expect(read.facts).toMatchObject({ body: text, bodyBytes: bytes.length, bodyTruncated: false });
  });

  it('keeps the first cap bytes of one chunk larger than the cap', async () => {
    const read = await readBody(bodyOf(Buffer.from('0123456789'.repeat(500)), 5_000), undefined, 1_234);
    expect(read.facts).toMatchObject({ body: '0123456789'.repeat(124).slice(0, 1_234), bodyBytes: 1_234, bodyTruncated: true });
  });

  it('keeps an empty body empty', async () => {
    const read = await readBody(bodyOf(Buffer.alloc(0)), undefined, 1024);
    expect(read.facts).toMatchObject({ body: '', bodyBytes: 0, bodyTruncated: false });
  });

  it('applies the cap to decoded bytes, not compressed ones', async () => {
    const read = await readBody(bodyOf(gzipSync(Buffer.alloc(50_000, 'z'))), 'gzip', 10_000);
    expect(read.facts).toMatchObject({ bodyBytes: 10_000, bodyTruncated: true, contentEncoding: 'gzip' });
  });

  it('decodes a multi-byte character cut by the cap to a replacement character', async () => {
    const read = await readBody(bodyOf(Buffer.from('ab€')), undefined, 3);
    expect(read.facts.body).toBe('ab\uFFFD');
    expect(read.facts.bodyBytes).toBe(3);
  });

  it.each([
    { encoding: 'gzip', chunkSize: 64 * 1024 },
    { encoding: 'gzip', chunkSize: 16 * 1024 * 1024 },
  ])('stops a 1 GiB $encoding bomb arriving in $chunkSize-byte chunks at the cap', async ({ encoding, chunkSize }) => {
    const member = await gzipOfZeros(64 * 1024 * 1024);
    const bomb = Buffer.concat(new Array<Buffer>(16).fill(member));
    const source = bodyOf(bomb, chunkSize);
    const rssBefore = process.memoryUsage().rss;
    const read = await readBody(source, encoding, 1024 * 1024);
    const growth = process.memoryUsage().rss - rssBefore;

    expect(read.error).toBeUndefined();
    expect(read.facts).toMatchObject({ bodyBytes: 1024 * 1024, bodyTruncated: true });
    expect(growth).toBeLessThan(48 * 1024 * 1024);
    expect(source.destroyed).toBe(true);
  });
});

describe('parseContentEncoding', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['identity', []],
    ['gzip', ['gzip']],
    [' GZip , br ', ['gzip', 'br']],
    ['gzip,,identity', ['gzip']],
  ])('%s -> %j', (header, expected) => {
    expect(parseContentEncoding(header)).toEqual(expected);
  });
});

describe('readBody: a body that ends early', () => {
  it('keeps what came before a close without an end, and says the body ended prematurely', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from('partial '));
    setTimeout(() => body.destroy(), 10);
    const read = await readBody(body, undefined, 1024);
    expect(read.facts).toMatchObject({ body: 'partial ', bodyBytes: 8, bodyTruncated: false });
    expect(read.error).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('keeps what came before an error, and reports the error itself', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from('abc'));
    const failure = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    setTimeout(() => body.destroy(failure), 10);
    const read = await readBody(body, undefined, 1024);
    expect(read.facts).toMatchObject({ body: 'abc', bodyBytes: 3 });
    expect(read.error).toBe(failure);
  });

  it('reads a body that already ended as empty, and one already destroyed by an error as that error', async () => {
    const ended = Readable.from([], { objectMode: false });
    ended.resume();
    await new Promise((resolve) => ended.once('end', resolve));
    expect((await readBody(ended, undefined, 1024)).facts).toMatchObject({ body: '', bodyBytes: 0 });
    const failure = new Error('gone');
    const destroyed = new Readable({ read() {} });
    destroyed.on('error', () => undefined);
    destroyed.destroy(failure);
    await new Promise((resolve) => destroyed.once('close', resolve));
    expect((await readBody(destroyed, undefined, 1024)).error).toBe(failure);
  });
});
