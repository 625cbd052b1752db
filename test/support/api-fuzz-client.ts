/**
 * Sends fuzzed requests to a coordinator and judges each answer: never a 5xx (a 503 only where
 * the caller allows it), never a hang, every 4xx a problem document (`{statusCode, error,
 * message}` with the answer's own status). Ids the API hands out (`Location`, `items[].id`) are
 * kept per collection, so later requests reach real resources, not only 404s.
 */
import * as http from 'node:http';
import { FuzzTally, type FuzzOutcome } from './fuzz-tally';

export interface FuzzRequest {
  method: string;
  /** Path and query string, already encoded. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export interface FuzzAnswer {
  outcome: FuzzOutcome;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

/** Bodies above this may be cut off by the server without an answer (it stops reading at the limit). */
const BIG_BODY_BYTES = 1024 * 1024;

export class ApiFuzzClient {
  /** Ids seen per collection (`monitors`, `webhooks`, ...). */
  readonly ids = new Map<string, string[]>();
  /** The slowest answer, in ms. */
  maxMs = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    readonly host: string,
    readonly port: number,
    readonly tally: FuzzTally,
    private readonly timeoutMs = 15_000,
  ) {}

  idsOf(collection: string): readonly string[] {
    return this.ids.get(collection) ?? [];
  }

  remember(collection: string, id: string): void {
    const list = this.ids.get(collection) ?? [];
    if (!list.includes(id)) list.push(id);
    // A bounded pool: the newest ids, most likely to still exist.
    if (list.length > 30) list.shift();
    this.ids.set(collection, list);
  }

  forget(collection: string, id: string): void {
    const list = this.ids.get(collection);
    if (list) this.ids.set(collection, list.filter((known) => known !== id));
  }

  /** Sends without judging (a client-side refusal to send is a `closed` outcome with the reason as text). */
  send(request: FuzzRequest): Promise<FuzzAnswer> {
    const started = Date.now();
    return new Promise((resolve) => {
      let done = false;
      const settle = (answer: Omit<FuzzAnswer, 'ms'>): void => {
        if (done) return;
        done = true;
        const ms = Date.now() - started;
        this.maxMs = Math.max(this.maxMs, ms);
        resolve({ ...answer, ms });
      };
      let outgoing: http.ClientRequest;
      try {
        outgoing = http.request({
          host: this.host,
          port: this.port,
          method: request.method,
          path: request.path,
          headers: request.body ? { ...request.headers, 'content-length': String(request.body.length) } : request.headers,
          agent: this.agent,
          timeout: this.timeoutMs,
        });
      } catch (error) {
        settle({ outcome: { kind: 'closed' }, headers: {}, text: `client refused to send: ${(error as Error).message}` });
        return;
      }
      outgoing.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => settle({ outcome: { kind: 'status', status: response.statusCode ?? 0 }, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', () => settle({ outcome: { kind: 'status', status: response.statusCode ?? 0 }, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.on('timeout', () => {
        settle({ outcome: { kind: 'hang' }, headers: {}, text: `no answer within ${this.timeoutMs} ms` });
        outgoing.destroy();
      });
      outgoing.on('error', (error) => settle({ outcome: { kind: 'closed' }, headers: {}, text: error.message }));
      outgoing.end(request.body);
    });
  }

  /**
   * Sends, counts and judges. `allow503` accepts an honest 503 (Redis down) with `Retry-After`.
   * Returns the answer for callers that look further.
   */
  async fuzz(request: FuzzRequest, options: { allow503?: boolean } = {}): Promise<FuzzAnswer> {
    const answer = await this.send(request);
    if (answer.text.startsWith('client refused to send')) return answer;
    this.tally.record(answer.outcome);
    const described = `${request.method} ${request.path} ${JSON.stringify(request.headers)} body=${request.body ? JSON.stringify(request.body.subarray(0, 400).toString('utf8')) : '(none)'}${request.body && request.body.length > 400 ? ` (${request.body.length} bytes)` : ''}`;
    const { outcome } = answer;
    if (outcome.kind === 'hang') this.tally.violation({ rule: 'hang', request: described, answer: answer.text });
    else if (outcome.kind === 'closed') {
      if ((request.body?.length ?? 0) < BIG_BODY_BYTES) this.tally.violation({ rule: 'closed without an answer', request: described, answer: answer.text });
    } else if (outcome.status >= 500) {
      const honest = outcome.status === 503 && ((options.allow503 === true && answer.headers['retry-after'] !== undefined) || isDegradedHealth(request, answer));
      if (honest) this.tally.honest503();
      else this.tally.violation({ rule: `${outcome.status}`, request: described, answer: answer.text });
    } else if (outcome.status >= 400 && request.method !== 'HEAD') {
      const problem = parseJson(answer.text) as { statusCode?: unknown; error?: unknown; message?: unknown } | undefined;
      if (problem?.statusCode !== outcome.status || typeof problem.error !== 'string' || typeof problem.message !== 'string') {
        this.tally.violation({ rule: `${outcome.status} without a problem document`, request: described, answer: answer.text });
      }
    } else if (outcome.status >= 200 && outcome.status < 300) {
      this.harvest(request, answer);
    }
    return answer;
  }

  close(): void {
    this.agent.destroy();
  }

  private harvest(request: FuzzRequest, answer: FuzzAnswer): void {
    const location = answer.headers.location;
    const pathOnly = request.path.split('?')[0] ?? '';
    if (typeof location === 'string') {
      const match = /\/([^/]+)\/([^/?]+)$/.exec(location);
      if (match?.[1] && match[2]) this.remember(match[1], match[2]);
    }
    if (request.method === 'DELETE') {
      const match = /\/([^/]+)\/([^/]+)$/.exec(pathOnly);
      if (match?.[1] && match[2]) this.forget(match[1], decodeURIComponentSafe(match[2]));
      return;
    }
    const body = parseJson(answer.text) as { items?: unknown } | undefined;
    const collection = /\/([^/]+)$/.exec(pathOnly)?.[1];
    if (collection && body && Array.isArray(body.items)) {
      for (const item of body.items.slice(0, 5)) {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === 'string') this.remember(collection, id);
      }
    }
  }
}

/** `/health` answers 503 with its report when degraded (blind regions, Redis away): documented, honest. */
function isDegradedHealth(request: FuzzRequest, answer: FuzzAnswer): boolean {
  if (!/^\/health(?:[/?]|$)/.test(request.path)) return false;
  const report = parseJson(answer.text) as { status?: unknown } | undefined;
  return report?.status === 'degraded';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
