/**
 * HTTP below the level any client library allows: exact bytes written to a TCP socket (invalid
 * framing, broken chunked encoding, pipelined requests, HTTP/1.0 and 0.9), and what the server
 * answered read back from the raw stream, response by response.
 */
import * as net from 'node:net';

/** What came back on one connection. */
export interface RawExchange {
  /** Final statuses of the responses read, in order (interim 1xx left out). */
  statuses: number[];
  /** Whether the server closed the connection before the deadline. */
  closed: boolean;
  /** Neither closed nor done before the deadline. */
  timedOut: boolean;
  bytesRead: number;
  /** The start of what was read, for failure messages. */
  head: string;
  /** Set when the bytes read are not a sequence of HTTP responses (cut short ones aside). */
  parseError: string | undefined;
}

export interface RawExchangeOptions {
  /** Give up (and destroy the socket) after this long. Default 15 s. */
  timeoutMs?: number;
  /**
   * When to half-close the connection (the server then sees the end of input): right after the
   * last write, or (default) once the server has been silent for `silenceMs` without a complete
   * answer, as a client that gave up waiting would. Node aborts a request still being handled
   * when its client half-closes, so a request that deserves an answer is given time first.
   */
  halfClose?: 'after-write' | 'when-silent';
  /** Silence (ms) after which `when-silent` half-closes. Default 2 s. */
  silenceMs?: number;
  /** Answers to wait for before the exchange is done without a close. Default 1. */
  expectAnswers?: number;
  /** Pause between two parts, so they arrive as separate TCP segments. Default 0. */
  pauseMs?: number;
  /** Methods of the requests, in order: a HEAD's answer has no body. */
  methods?: string[];
}

/**
 * Connects to `host:port`, writes `parts` in order and reads until the server closes, or has sent
 * `expectAnswers` complete answers and gone quiet, or the deadline passes. Write errors (the server
 * closed early, e.g. after a 413) are not failures: what was read still counts.
 */
export function rawExchange(host: string, port: number, parts: ReadonlyArray<string | Buffer>, options: RawExchangeOptions = {}): Promise<RawExchange> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const silenceMs = options.silenceMs ?? 2_000;
  const expectAnswers = options.expectAnswers ?? 1;
  const methods = options.methods ?? [];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let settled = false;
    let written = false;
    let ended = false;
    let quietSince = Date.now();
    const finish = (closed: boolean, timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      clearTimeout(deadline);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const parsed = parseResponses(data, methods);
      resolve({ statuses: parsed.statuses, closed, timedOut, bytesRead: data.length, head: data.subarray(0, 300).toString('latin1'), parseError: parsed.error });
    };
    const halfClose = (): void => {
      if (ended || socket.destroyed) return;
      ended = true;
      socket.end();
    };
    const deadline = setTimeout(() => finish(false, true), timeoutMs);
    const watch = setInterval(() => {
      if (!written) return;
      const quietFor = Date.now() - quietSince;
      const parsed = parseResponses(Buffer.concat(chunks), methods);
      if (parsed.complete && parsed.statuses.length >= expectAnswers && quietFor >= 200) finish(false, false);
      else if (quietFor >= silenceMs) halfClose();
    }, 50);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      quietSince = Date.now();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true, false));
    socket.once('connect', () => {
      void (async () => {
        for (const part of parts) {
          if (socket.destroyed) break;
          await new Promise<void>((done) => socket.write(part, () => done()));
          if (options.pauseMs) await new Promise((done) => setTimeout(done, options.pauseMs));
        }
        written = true;
        quietSince = Date.now();
        if (options.halfClose === 'after-write' || parts.length === 0) halfClose();
      })();
    });
  });
}

interface ParsedResponses {
  statuses: number[];
  /** Whether the bytes end exactly where an answer ends. */
  complete: boolean;
  error: string | undefined;
}

/**
 * Splits a byte stream into HTTP/1.x responses (Content-Length, chunked, or close-delimited
 * bodies). A response cut short at the end of the stream is counted, not an error: the server may
 * close a connection mid-answer when the client misbehaves.
 */
export function parseResponses(data: Buffer, methods: readonly string[]): ParsedResponses {
  const statuses: number[] = [];
  let offset = 0;
  let index = 0;
  while (offset < data.length) {
    const headEnd = data.indexOf('\r\n\r\n', offset, 'latin1');
    const head = data.subarray(offset, headEnd < 0 ? data.length : headEnd).toString('latin1');
    const statusLine = /^HTTP\/\d\.\d (\d{3})(?: [^\r\n]*)?(?:\r\n|$)/.exec(head);
    if (!statusLine) return { statuses, complete: false, error: `not an HTTP response at byte ${offset}: ${JSON.stringify(head.slice(0, 80))}` };
    const status = Number(statusLine[1]);
    if (headEnd < 0) {
      statuses.push(status);
      return { statuses, complete: false, error: undefined };
    }
    const headers = new Map<string, string>();
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    offset = headEnd + 4;
    if (status >= 100 && status < 200) continue;
    statuses.push(status);
    const method = methods[index++];
    if (method === 'HEAD' || status === 204 || status === 304) continue;
    if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
      for (;;) {
        const lineEnd = data.indexOf('\r\n', offset, 'latin1');
        if (lineEnd < 0) return { statuses, complete: false, error: undefined };
        const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
        if (!Number.isFinite(size)) return { statuses, complete: false, error: `bad chunk size at byte ${offset}` };
        offset = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      continue;
    }
    const length = headers.get('content-length');
    if (length !== undefined) {
      offset += Number(length);
      continue;
    }
    // Close-delimited body: the rest of the stream, complete only once the server closes.
    return { statuses, complete: false, error: undefined };
  }
  return { statuses, complete: offset === data.length, error: undefined };
}

/** A request's bytes: request line, headers (in order, as given), blank line, body. */
export function rawRequest(requestLine: string, headers: ReadonlyArray<readonly [string, string]>, body: string | Buffer = ''): Buffer {
  const head = `${requestLine}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}
