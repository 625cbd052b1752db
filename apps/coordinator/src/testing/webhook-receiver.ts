import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, as it came over the wire. */
export interface ReceivedRequest {
  /** Path and query: each endpoint of a test gets its own query, hence its own secret. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 that behaves by path (the query names the endpoint): `/ok` 204,
 * `/fail` 500 always, `/flaky` 500 for the first two requests of each `webhook-id` then 200,
 * `/redirect` 302 to `/ok`, `/gone` 410, `/busy` 503 with `Retry-After: 1`, `/hang` never answers.
 * Like a careful consumer, it verifies each signature with the independent `standardwebhooks`
 * package (401 when it fails) and processes each `webhook-id` once.
 *
 * While {@link down} is set it is a dead receiver: every connection is counted and destroyed
 * before a byte is read, as a crashed process behind a load balancer would be. While
 * {@link refusing} is set it answers every request `503` (after recording it).
 */
export class TestWebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Events processed (verified, answered 2xx, first time seen), by `webhook-id`. */
  readonly processed = new Map<string, unknown>();
  /** How many times each `webhook-id` was processed: more than 1 is a duplicate. */
  readonly processedCount = new Map<string, number>();
  /** Secret of each endpoint, by path and query. */
  readonly secrets = new Map<string, string>();
  /** TCP connections accepted (down or not). */
  connections = 0;
  private isDown = false;
  /** When set, every request is recorded and answered `503`. */
  refusing = false;
  private readonly attempts = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  private base = '';

  /** While set, every connection is destroyed at once, kept-alive ones included. */
  get down(): boolean {
    return this.isDown;
  }

  set down(value: boolean) {
    this.isDown = value;
    if (value) this.server?.closeAllConnections();
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.connections++;
      if (this.isDown) socket.destroy();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** Requests of one event (by `webhook-id`), to every endpoint or to the one at `path` (path and query). */
  requestsOf(eventId: string, path?: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.headers['webhook-id'] === eventId && (path === undefined || request.path === path));
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.isDown) {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const received: ReceivedRequest = {
      path: request.url ?? '',
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(received);
    const eventId = received.headers['webhook-id'] ?? '';
    const seen = (this.attempts.get(eventId) ?? 0) + 1;
    this.attempts.set(eventId, seen);
    if (this.refusing) {
      response.writeHead(503).end('refusing');
      return;
    }
    switch (new URL(received.path, this.base).pathname) {
      case '/hang':
        this.hanging.add(response);
        return;
      case '/gone':
        response.writeHead(410).end();
        return;
      case '/fail':
        response.writeHead(500).end('broken');
        return;
      case '/redirect':
        response.writeHead(302, { location: this.url('/ok') }).end();
        return;
      case '/busy':
        response.writeHead(503, { 'retry-after': '1' }).end('busy');
        return;
      case '/flaky':
        if (seen <= 2) {
          response.writeHead(500).end('not yet');
          return;
        }
        break;
    }
    // A channel that is not a Standard Webhooks one (Slack, PagerDuty) signs nothing: `/plain…` takes it as it comes.
    if (received.path.startsWith('/plain')) {
      response.writeHead(200).end('ok');
      return;
    }
    let payload: unknown;
    try {
      payload = new Webhook(this.secrets.get(received.path) ?? '').verify(received.body, received.headers);
    } catch {
      response.writeHead(401).end('bad signature');
      return;
    }
    if (!this.processed.has(eventId)) this.processed.set(eventId, payload);
    this.processedCount.set(eventId, (this.processedCount.get(eventId) ?? 0) + 1);
    response.writeHead(received.path.startsWith('/ok') ? 204 : 200).end();
  }
}
