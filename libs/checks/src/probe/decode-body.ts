import { isAscii } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { errorCode, ProbeFailure } from './probe-error';

/** The body part of a response, as the observation records it. */
export interface BodyFacts {
  body: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  contentEncoding?: string;
}

/** What reading a body produced: what was kept, and the error that ended it early, if any. */
export interface BodyRead {
  facts: BodyFacts;
  error?: unknown;
}

type Decoder = (input: Readable) => Readable;

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: (input) => pipeline(input, createGunzip(), ignore),
  'x-gzip': (input) => pipeline(input, createGunzip(), ignore),
  br: (input) => pipeline(input, createBrotliDecompress(), ignore),
  deflate: (input) => Readable.from(inflateEither(input), { objectMode: false }),
};

/**
 * Reads a response body, decoding `Content-Encoding` as it streams, and keeps at most `capBytes`
 * of the DECODED bytes: the cap protects the agent, so it must hold for what would be allocated,
 * not for what travelled. Backpressure keeps a decompression bomb from inflating ahead of the
 * reader, and the streams are destroyed the moment the cap is reached.
 *
 * Unknown encodings are kept as raw bytes (`contentEncoding` still says what they were). A body
 * that fails to decode ends with a `protocol_error`; whatever was decoded before stays.
 */
export async function readBody(raw: Readable, contentEncodingHeader: string | undefined, capBytes: number): Promise<BodyRead> {
  const encodings = parseContentEncoding(contentEncodingHeader);
  const decodable = encodings.every((encoding) => encoding in DECODERS);
  let stream = raw;
  if (decodable) {
    // Encodings are listed in the order they were applied, so they are undone from the last.
    for (const encoding of [...encodings].reverse()) stream = DECODERS[encoding]!(stream);
  }
  const contentEncoding = encodings.length > 0 ? encodings.join(', ') : undefined;

  const { chunks, kept, truncated, failure } = await collectUpTo(stream, capBytes);
  // Stopping early leaves `stream` open; the raw body must go too, or the socket keeps reading.
  stream.destroy();
  raw.destroy();
  const error =
    failure !== undefined && isDecodeError(failure)
      ? new ProbeFailure('protocol_error', 'body', `the ${contentEncoding ?? ''} body could not be decoded: ${(failure as Error).message}`)
      : failure;
  const facts: BodyFacts = { body: textOf(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept)), bodyBytes: kept, bodyTruncated: truncated };
  if (contentEncoding !== undefined) facts.contentEncoding = contentEncoding;
  return error !== undefined ? { facts, error } : { facts };
}

interface Collected {
  chunks: Buffer[];
  kept: number;
  truncated: boolean;
  /** The error that ended the stream early (what `for await` over it would have thrown). */
  failure?: unknown;
}

/**
 * The stream's chunks up to `capBytes` in all, read with plain `data`/`end` listeners: the same
 * outcome as `for await` over it (an error or an early close ends the read with what came
 * before), without an async iterator and a promise per chunk on every check.
 */
function collectUpTo(stream: Readable, capBytes: number): Promise<Collected> {
  const collected: Collected = { chunks: [], kept: 0, truncated: false };
  if (stream.readableEnded) return Promise.resolve(collected);
  if (stream.destroyed) return Promise.resolve({ ...collected, failure: stream.errored ?? prematureClose() });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (failure?: unknown): void => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (failure !== undefined) collected.failure = failure;
      resolve(collected);
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      const room = capBytes - collected.kept;
      if (chunk.length > room) {
        if (room > 0) collected.chunks.push(chunk.subarray(0, room));
        collected.kept = capBytes;
        collected.truncated = true;
        stream.pause();
        finish();
        return;
      }
      collected.chunks.push(chunk);
      collected.kept += chunk.length;
    };
    const onEnd = (): void => finish();
    const onError = (error: unknown): void => finish(error);
    const onClose = (): void => finish(stream.errored ?? prematureClose());
    stream.on('error', onError);
    stream.on('end', onEnd);
    stream.on('close', onClose);
    stream.on('data', onData);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * The body as UTF-8 text. ASCII (most bodies) is decoded as Latin-1, which reads the same: Node
 * keeps a large Latin-1 string outside the JavaScript heap, as external memory that the garbage
 * collector tracks and frees promptly, where a UTF-8 decode makes a heap string that waits for a
 * full collection. Agents with many large bodies in flight use about half the memory this way.
 */
function textOf(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** `gzip, br` -> `['gzip', 'br']`; `identity` means no encoding. */
export function parseContentEncoding(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '' && part !== 'identity');
}

/**
 * `deflate` should be zlib-wrapped (RFC 9110), but some servers send raw deflate; browsers accept
 * both, so the first bytes decide. Pull-based (an async generator over a piped inflater), so
 * backpressure still bounds what is inflated ahead of the reader.
 */
async function* inflateEither(input: Readable): AsyncGenerator<Buffer> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const first = await source.next();
    if (first.done) return;
    const inflater = looksZlibWrapped(first.value) ? createInflate() : createInflateRaw();
    const feed = Readable.from(prepend(first.value, source), { objectMode: false });
    yield* pipeline(feed, inflater, ignore) as AsyncIterable<Buffer>;
  } finally {
    input.destroy();
  }
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** A zlib header: compression method 8 (deflate) and a header checksum divisible by 31. */
function looksZlibWrapped(head: Buffer): boolean {
  const cmf = head[0];
  if (cmf === undefined || (cmf & 0x0f) !== 8) return false;
  const flg = head[1];
  return flg === undefined || ((cmf << 8) | flg) % 31 === 0;
}

/** zlib reports `Z_*` codes, brotli `ERR__*` ones; socket and parser errors never look like these. */
function isDecodeError(error: unknown): boolean {
  const code = errorCode(error);
  return code.startsWith('Z_') || code.startsWith('ERR__') || code.includes('BROTLI');
}

function ignore(): void {
  // pipeline() wants a callback; errors surface to the reader of the last stream instead.
}
