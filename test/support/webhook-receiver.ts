/**
 * A team's webhook receiver, as an incident tool would run one: it verifies every delivery's
 * signature with an independent implementation of Standard Webhooks (the `standardwebhooks`
 * package, not our code), can be told to fail the first attempts of each message, and records
 * what it accepted, deduplicated by `webhook-id` the way the spec asks receivers to.
 */
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { freePort } from './net';

/** One accepted event. */
export interface ReceivedEvent {
  webhookId: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  /** Attempts seen for this webhook-id, including the failed ones we caused. */
  attempts: number;
  /** The exact body of every attempt: retries must resend the same bytes. */
  bodies: string[];
}

export interface WebhookReceiver {
  readonly url: string;
  /** Set once the webhook is created: the `whsec_…` secret shown once by the API. */
  setSecret(secret: string): void;
  /** Every accepted event, in arrival order (one per webhook-id). */
  events(): ReceivedEvent[];
  /** Deliveries whose signature did not verify (must stay empty). */
  rejected(): Array<{ reason: string; headers: Record<string, string> }>;
  /** Accepted deliveries of a webhook-id already accepted (a duplicate; must stay zero). */
  duplicates(): number;
  /** Verified attempts received, failed ones included. */
  attempts(): number;
  /**
   * Stops listening and cuts open connections, keeping what was received: deliveries meet a
   * refused connection (a receiver that is down) until {@link WebhookReceiver.start}.
   */
  stop(): Promise<void>;
  /** Listens again on the same address after {@link WebhookReceiver.stop}. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { host: string; failFirstAttempts?: number }): Promise<WebhookReceiver> {
  const failFirst = options.failFirstAttempts ?? 0;
  let verifier: Webhook | undefined;
  const accepted = new Map<string, ReceivedEvent>();
  const attempts = new Map<string, { count: number; bodies: string[] }>();
  const rejected: Array<{ reason: string; headers: Record<string, string> }> = [];
  let duplicates = 0;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      if (!verifier) {
        rejected.push({ reason: 'no secret set yet', headers });
        response.writeHead(503).end();
        return;
      }
      let payload: { type: string; timestamp: string; data: Record<string, unknown> };
      try {
        payload = verifier.verify(body, headers) as typeof payload;
      } catch (error) {
        rejected.push({ reason: (error as Error).message, headers });
        response.writeHead(400).end();
        return;
      }
      const id = headers['webhook-id'] ?? '';
      const seen = attempts.get(id) ?? { count: 0, bodies: [] };
      seen.count += 1;
      seen.bodies.push(body);
      attempts.set(id, seen);
      if (seen.count <= failFirst) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('receiver is having a bad day');
        return;
      }
      const existing = accepted.get(id);
      if (existing) {
        duplicates += 1;
        existing.attempts = seen.count;
      } else {
        accepted.set(id, { webhookId: id, type: payload.type, timestamp: payload.timestamp, data: payload.data, attempts: seen.count, bodies: seen.bodies });
      }
      response.writeHead(204).end();
    });
  });
  const port = await freePort(options.host);
  const listen = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen();
  return {
    url: `http://${options.host}:${port}/hooks/crosscheck`,
    setSecret(secret) {
      verifier = new Webhook(secret);
    },
    events: () => [...accepted.values()],
    rejected: () => rejected,
    duplicates: () => duplicates,
    attempts: () => [...attempts.values()].reduce((total, seen) => total + seen.count, 0),
    stop: stopListening,
    start: () => (server.listening ? Promise.resolve() : listen()),
    close: stopListening,
  };
}
