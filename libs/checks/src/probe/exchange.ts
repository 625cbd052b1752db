import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { Client, type Dispatcher } from 'undici';
import type { ResolveOverride } from '../spec/resolve-override';
import type { AddressPolicy } from './address-policy';
import { openConnection } from './connector';
import type { Deadline } from './deadline';
import { bareHostname, pathOf, type HopRequest } from './hop-request';
import type { NameLookup, ResolvedAddress } from './resolve-address';
import { elapsedSince, type HopProgress } from './hop-progress';
import { ProbeFailure } from './probe-error';
import { headerBlockBytes, normalizeHeaders } from './response-headers';

/** What every hop of a probe shares. */
export interface ExchangeContext {
  deadline: Deadline;
  overrides: readonly ResolveOverride[];
  policy: AddressPolicy;
  tls: { verify: boolean; ca?: string };
  maxHeaderBytes: number;
  /** The probe clock (epoch ms) at the start of the probe. */
  now: number;
  /** An injected dispatcher replaces the probe's own connections (see `ProbeOptions.dispatcher`). */
  dispatcher?: Dispatcher;
  /** The probe's shared name lookup (one answer per name per probe). */
  lookup: NameLookup;
  /** Connect to this one address of the host (a per-address check) instead of racing all of them. */
  pin?: ResolvedAddress;
  /** Offer HTTP/2 in ALPN over TLS (`spec.http2`). */
  http2: boolean;
}

/** A response whose headers have arrived; its body is still to be read (or discarded). */
export interface HopResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
  httpVersion?: string;
  /** Frees everything the hop holds: body, client and connection. Safe to call twice. */
  release(): void;
}

/**
 * Sends one request over a connection of its own and waits for the response headers. The
 * connection is opened by the probe (see connector.ts) and handed to a single-use undici
 * `Client` through its `connect` hook, so undici speaks HTTP while DNS, address policy, connect
 * and TLS stay observable and timed. undici follows no redirects here; the caller does.
 */
/** Reason a finished hop's client is closed with; nothing is pending on it by then. */
const HOP_FINISHED = Object.assign(new Error('the probe finished with this connection'), { code: 'UND_ERR_DESTROYED' });

export async function exchange(hop: HopRequest, context: ExchangeContext, progress: HopProgress): Promise<HopResponse> {
  if (context.dispatcher) return exchangeThrough(context.dispatcher, hop, context, progress);

  const connection = await openConnection(
    {
      url: hop.url,
      overrides: context.overrides,
      policy: context.policy,
      tls: context.tls,
      deadline: context.deadline,
      now: context.now,
      lookup: context.lookup,
      http2: context.http2,
      ...(context.pin ? { pin: context.pin } : {}),
    },
    progress,
  );
  const { socket } = connection;
  // undici speaks h2 on a socket whose ALPN chose it; then the socket carries frames, not a status line.
  const h2 = 'alpnProtocol' in socket && socket.alpnProtocol === 'h2';
  let handedOver = false;
  const client = new Client(originUrlOf(hop.url), {
    connect: (_options, callback) => {
      // One connection per hop: undici asking again means the one it had is gone.
      if (handedOver) {
        const error = Object.assign(new Error('the connection closed before the request completed'), { code: 'ECONNRESET' });
        process.nextTick(() => callback(error, null));
        return;
      }
      handedOver = true;
      // Asynchronously, as undici's own connector does: a synchronous callback re-enters the
      // client's resume loop, which then never writes the queued request.
      process.nextTick(() => callback(null, socket));
    },
    maxHeaderSize: context.maxHeaderBytes,
    // The probe's own deadline bounds every phase; undici's idle timers would only report it less precisely.
    headersTimeout: 0,
    bodyTimeout: 0,
    pipelining: 1,
    ...(h2 ? { allowH2: true } : {}),
  });
  // The deadline ends the hop whatever undici is doing: the client itself is destroyed with the
  // deadline's reason, which fails its request with it (so the request needs no signal of its own).
  const unsubscribe = context.deadline.onExpire((reason) => {
    client.destroy(reason).catch(() => undefined);
    socket.destroy();
  });
  const release = (): void => {
    unsubscribe();
    // A shared error: undici would otherwise build one, stack trace and all, on every check.
    client.destroy(HOP_FINISHED).catch(() => undefined);
    socket.destroy();
  };

  let firstByteAt: number | undefined;
  let httpVersion: string | undefined;
  // Registered before undici's own listener, so this runs first on the first response bytes.
  // Over h2 node's session reads the socket itself: no peeking, and `firstByte` is when the
  // response's HEADERS frame was parsed (the SETTINGS exchange comes before any response byte).
  if (!h2) {
    socket.once('readable', () => {
      firstByteAt = performance.now();
      httpVersion = peekHttpVersion(socket);
    });
  }
  progress.phase = 'request';
  const sentAt = performance.now();
  try {
    const response = await context.deadline.race(
      client.request({
        path: pathOf(hop.url),
        method: hop.method,
        headers: hop.headers,
        body: hop.body ?? null,
      }),
    );
    keepErrorsHandled(response.body);
    progress.timings.firstByte = firstByteAt !== undefined ? Math.round((firstByteAt - sentAt) * 10) / 10 : elapsedSince(sentAt);
    // undici bounds HTTP/1.1 header blocks while parsing (`maxHeaderSize`) but not h2 ones
    // (node's session takes up to its own limit): the same bound is checked once they are in.
    if (h2 && headerBlockBytes(response.headers) > context.maxHeaderBytes) {
      progress.phase = 'headers';
      response.body.destroy();
      throw new ProbeFailure('headers_too_large', 'headers', `response headers from ${hop.url.host} exceed ${context.maxHeaderBytes} bytes`);
    }
    progress.phase = 'body';
    return {
      status: response.statusCode,
      headers: normalizeHeaders(response.headers),
      body: response.body,
      // A 1.0 status line (old proxies' error pages) still shows; h2 only when ALPN chose it.
      httpVersion: h2 ? '2' : (httpVersion ?? '1.1'),
      release: () => {
        response.body.destroy();
        release();
      },
    };
  } catch (error) {
    if (progress.phase === 'request' && (firstByteAt !== undefined || requestWritten(socket))) progress.phase = 'headers';
    release();
    throw error;
  }
}

const origins = new Map<string, URL>();
const MAX_ORIGINS = 1_024;

/**
 * The origin of `url` as a URL, shared by the hops to that origin: undici parses a string origin
 * anew for every client (one per hop), and only reads the URL it is given. Bounded: a flood of
 * new origins only starts the map over.
 */
function originUrlOf(url: URL): URL {
  const origin = url.origin;
  let parsed = origins.get(origin);
  if (parsed === undefined) {
    if (origins.size >= MAX_ORIGINS) origins.clear();
    parsed = new URL(origin);
    origins.set(origin, parsed);
  }
  return parsed;
}

/**
 * The HTTP version of the status line, which undici does not expose: the first buffered bytes are
 * read and immediately put back with `unshift` (the stream API meant for parsers that look ahead),
 * so undici parses exactly what arrived.
 */
function peekHttpVersion(socket: Socket): string | undefined {
  const head: unknown = socket.read();
  if (!Buffer.isBuffer(head)) return undefined;
  socket.unshift(head);
  return /^HTTP\/(\d\.\d) /.exec(head.subarray(0, 16).toString('latin1'))?.[1];
}

/** True once the request has left the socket's buffer: from then on the probe waits for the response. */
function requestWritten(socket: Socket): boolean {
  return socket.bytesWritten > 0 && socket.writableLength === 0;
}

/**
 * The injected-dispatcher path (tests with a MockAgent, or an agent behind a proxy): the dispatcher
 * connects as it likes, so only what can be checked without a socket is: IP-literal hosts go
 * through the address policy, header size is measured after the fact.
 */
async function exchangeThrough(dispatcher: Dispatcher, hop: HopRequest, context: ExchangeContext, progress: HopProgress): Promise<HopResponse> {
  const host = bareHostname(hop.url);
  if (isIP(host) !== 0) {
    progress.phase = 'connect';
    progress.address = host;
    const decision = context.policy.check(host);
    if (!decision.allowed) throw new ProbeFailure('blocked_target', 'connect', `refused to connect to ${hop.url.host}: ${decision.reason}`);
  }
  progress.phase = 'headers';
  const sentAt = performance.now();
  const response = await context.deadline.race(
    dispatcher.request({
      origin: hop.url.origin,
      path: pathOf(hop.url),
      method: hop.method,
      headers: hop.headers,
      body: hop.body ?? null,
      signal: context.deadline.signal,
    }),
  );
  keepErrorsHandled(response.body);
  progress.timings.firstByte = elapsedSince(sentAt);
  if (headerBlockBytes(response.headers) > context.maxHeaderBytes) {
    response.body.destroy();
    throw new ProbeFailure('headers_too_large', 'headers', `response headers from ${hop.url.host} exceed ${context.maxHeaderBytes} bytes`);
  }
  progress.phase = 'body';
  return {
    status: response.statusCode,
    headers: normalizeHeaders(response.headers),
    body: response.body,
    release: () => {
      response.body.destroy();
    },
  };
}

/**
 * undici's body emits an error when destroyed before its end (that is how the probe stops at the
 * cap or after a redirect). The reader sees real errors through its own listeners; without this
 * one, a discarded body's abort would be an uncaught exception that takes the agent down.
 */
function keepErrorsHandled(body: Readable): void {
  body.on('error', () => undefined);
}
