import type * as http from 'node:http';
import { assertLoopback, forwardableHeaders, LoopbackHttpServer, readBody, requestUpstream, send, type ListenOptions } from './loopback-server';

/** HAProxy's stock page when no server is available (its built-in 503 errorfile body). */
export const HAPROXY_503_PAGE = '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n';
/** HAProxy's stock page when a server did not answer in time (its built-in 504 errorfile body). */
export const HAPROXY_504_PAGE = "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";

/** One backend of a {@link LoadBalancer}. */
export interface Backend {
  host: string;
  port: number;
}

/** A backend and what the load balancer thinks of it. */
export interface BackendState extends Backend {
  /** Whether the last health check (or the last request) found it answering. */
  healthy: boolean;
  /** Why it is down, when it is. */
  lastError: string | undefined;
}

/** Options of a {@link LoadBalancer}. */
export interface LoadBalancerOptions extends ListenOptions {
  /** Loopback backends, in round-robin order. */
  backends: readonly Backend[];
  /** Path of the active health check (`option httpchk GET <path>`); 2xx/3xx is healthy. Default `/health`; `null` disables active checks. */
  healthCheckPath?: string | null;
  /** Interval of active health checks. Default 1000 ms. */
  healthCheckIntervalMs?: number;
  /** Deadline of a health check. Default 1000 ms. */
  healthCheckTimeoutMs?: number;
  /** Deadline of a proxied request. Default 5000 ms. */
  backendTimeoutMs?: number;
  /**
   * Status of the LB's own error pages. Default `200`: the "friendly maintenance page" setup
   * (HAProxy errorfiles rewritten to `HTTP/1.0 200 OK`) that turns an outage into a 200.
   */
  errorPageStatus?: number;
}

/**
 * An HAProxy-like load balancer: round-robin over its backends, active health checks
 * (`GET /health` every second, 2xx/3xx healthy), and a failed connection marks the backend down
 * and retries the next one (`option redispatch`).
 *
 * When no backend is healthy it answers HAProxy's stock page "503 Service Unavailable / No server
 * is available to handle this request." **with status 200** (the lie, configurable through
 * `errorPageStatus`), `Cache-Control: no-cache`, `Content-Type: text/html`; a backend that times
 * out gives HAProxy's 504 page with the same status.
 */
export class LoadBalancer extends LoopbackHttpServer {
  private readonly states: BackendState[];
  private readonly healthCheckPath: string | null;
  private readonly healthCheckIntervalMs: number;
  private readonly healthCheckTimeoutMs: number;
  private readonly backendTimeoutMs: number;
  private readonly errorPageStatus: number;
  private next = 0;
  private checkTimer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private errorPages = 0;

  /** A load balancer on `options.host`; call {@link LoadBalancer.start} to listen. */
  constructor(options: LoadBalancerOptions) {
    super(options);
    if (options.backends.length === 0) throw new Error('a load balancer needs at least one backend');
    for (const backend of options.backends) assertLoopback(backend.host);
    this.states = options.backends.map((backend) => ({ host: backend.host, port: backend.port, healthy: true, lastError: undefined }));
    this.healthCheckPath = options.healthCheckPath === undefined ? '/health' : options.healthCheckPath;
    this.healthCheckIntervalMs = options.healthCheckIntervalMs ?? 1_000;
    this.healthCheckTimeoutMs = options.healthCheckTimeoutMs ?? 1_000;
    this.backendTimeoutMs = options.backendTimeoutMs ?? 5_000;
    this.errorPageStatus = options.errorPageStatus ?? 200;
  }

  /** Its backends and their health as it sees it now. */
  get backends(): readonly BackendState[] {
    return this.states.map((state) => ({ ...state }));
  }

  /** How many of its own error pages it has served. */
  get errorPagesServed(): number {
    return this.errorPages;
  }

  /** Runs the first round of health checks, then listens and keeps checking. */
  override async start(): Promise<void> {
    await this.checkNow();
    await super.start();
    if (this.healthCheckPath !== null && this.checkTimer === undefined) {
      this.checkTimer = setInterval(() => void this.checkNow(), this.healthCheckIntervalMs);
      this.checkTimer.unref();
    }
  }

  /** Runs one round of health checks now (no-op without a health check path). */
  checkNow(): Promise<void> {
    const path = this.healthCheckPath;
    if (path === null) return Promise.resolve();
    this.checking ??= Promise.all(
      this.states.map(async (state) => {
        const result = await requestUpstream({
          host: state.host,
          port: state.port,
          method: 'GET',
          path,
          headers: { host: `${state.host}:${state.port}`, 'user-agent': 'crosscheck-demo-lb-check' },
          timeoutMs: this.healthCheckTimeoutMs,
          maxBodyBytes: 64 * 1024,
        });
        if (result.ok && result.response.status >= 200 && result.response.status < 400) {
          state.healthy = true;
          state.lastError = undefined;
        } else {
          state.healthy = false;
          state.lastError = result.ok ? `health check answered ${result.response.status}` : `health check failed: ${result.failure.kind}`;
        }
      }),
    ).then(
      () => {
        this.checking = undefined;
      },
      () => {
        this.checking = undefined;
      },
    );
    return this.checking;
  }

  protected override onStopped(): void {
    if (this.checkTimer !== undefined) clearInterval(this.checkTimer);
    this.checkTimer = undefined;
  }

  protected override handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    void this.answer(request, response).catch((error: unknown) => {
      send(response, 500, { 'content-type': 'text/plain' }, `load balancer error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const head = method === 'HEAD';
    const body = await readBody(request);
    const headers = forwardableHeaders(request.headers);
    delete headers['content-length'];
    const forwardedFor = request.socket.remoteAddress ?? '127.0.0.1';
    headers['x-forwarded-for'] = request.headers['x-forwarded-for'] === undefined ? forwardedFor : `${String(request.headers['x-forwarded-for'])}, ${forwardedFor}`;
    const tried = new Set<BackendState>();
    for (;;) {
      const backend = this.pick(tried);
      if (backend === undefined) {
        this.errorPage(response, HAPROXY_503_PAGE, head);
        return;
      }
      tried.add(backend);
      const result = await requestUpstream({
        host: backend.host,
        port: backend.port,
        method,
        path: request.url ?? '/',
        headers,
        body: body.length > 0 ? body : undefined,
        timeoutMs: this.backendTimeoutMs,
      });
      if (result.ok) {
        const out = forwardableHeaders(result.response.headers);
        delete out['content-length'];
        send(response, result.response.status, out, result.response.body, head);
        return;
      }
      if (result.failure.kind === 'timeout') {
        this.errorPage(response, HAPROXY_504_PAGE, head);
        return;
      }
      // Refused or reset: the server is down; redispatch to the next one.
      backend.healthy = false;
      backend.lastError = `request failed: ${result.failure.error.message}`;
    }
  }

  private pick(tried: ReadonlySet<BackendState>): BackendState | undefined {
    for (let i = 0; i < this.states.length; i++) {
      const candidate = this.states[(this.next + i) % this.states.length];
      if (candidate !== undefined && candidate.healthy && !tried.has(candidate)) {
        this.next = (this.next + i + 1) % this.states.length;
        return candidate;
      }
    }
    return undefined;
  }

  private errorPage(response: http.ServerResponse, page: string, head: boolean): void {
    this.errorPages += 1;
    send(response, this.errorPageStatus, { 'cache-control': 'no-cache', connection: 'close', 'content-type': 'text/html' }, page, head);
  }
}
