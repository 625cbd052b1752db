/**
 * Child process: the HTTP target of the agent benchmarks. A plain node:http server on a loopback
 * address answering a small JSON health document; `?hold=<ms>` holds the response that long, and
 * `?bytes=<n>` answers `n` bytes of plain text instead (at most {@link MAX_BODY_BYTES}).
 * Talks to the bench over IPC: announces its port, answers `stats` requests with its counters,
 * and exits when the bench goes away (IPC disconnect).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TargetStats {
  type: 'stats';
  /** Requests answered (completed) since start. */
  requests: number;
  /** Requests received and not answered yet (held). */
  open: number;
  maxOpen: number;
}

export type TargetMessage = { type: 'listening'; port: number } | TargetStats;

const BODY = Buffer.from(JSON.stringify({ status: 'UP', components: { db: { status: 'UP' }, cache: { status: 'UP' } } }));
const HEADERS = {
  'content-type': 'application/json',
  'content-length': String(BODY.length),
  'cache-control': 'no-store',
};

/** Large bodies are slices of one buffer, so the target itself costs no memory per request. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
let filler: Buffer | undefined;
function fillerOf(bytes: number): Buffer {
  filler ??= Buffer.alloc(MAX_BODY_BYTES, 'crosscheck body filler line\n');
  return filler.subarray(0, Math.min(bytes, MAX_BODY_BYTES));
}

let requests = 0;
let open = 0;
let maxOpen = 0;

function parameterOf(url: string | undefined, name: string): number {
  if (url === undefined) return 0;
  const match = new RegExp(`[?&]${name}=(\\d+)`).exec(url);
  return match ? Number(match[1]) : 0;
}

const server = createServer((request, response) => {
  open += 1;
  if (open > maxOpen) maxOpen = open;
  const bytes = parameterOf(request.url, 'bytes');
  const answer = (): void => {
    if (bytes > 0) {
      const body = fillerOf(bytes);
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length), 'cache-control': 'no-store' });
      response.end(body);
    } else {
      response.writeHead(200, HEADERS);
      response.end(BODY);
    }
    open -= 1;
    requests += 1;
  };
  // The request body (none expected) is drained so the connection finishes cleanly.
  request.resume();
  const hold = parameterOf(request.url, 'hold');
  if (hold > 0) setTimeout(answer, hold);
  else answer();
});
server.keepAliveTimeout = 5_000;

const send = (message: TargetMessage): void => {
  if (process.send) process.send(message);
};

process.on('message', (message: unknown) => {
  if (typeof message === 'object' && message !== null && 'type' in message && message.type === 'stats') {
    send({ type: 'stats', requests, open, maxOpen });
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

const host = process.env['TARGET_HOST'] ?? '127.0.0.2';
server.listen({ host, port: Number(process.env['TARGET_PORT'] ?? 0), backlog: 4_096 }, () => {
  send({ type: 'listening', port: (server.address() as AddressInfo).port });
});
