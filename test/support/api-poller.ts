/**
 * Polls a coordinator API in the background while a suite breaks things, and keeps the score:
 * answers by status, the 5xx that are not an honest 503 (Redis away, `/health` degraded), hangs,
 * refused connections (a coordinator that is down is not a 5xx), and the slowest answer.
 */
import { sleep } from './net';

export interface PollTarget {
  /** `http://127.0.0.1:port` (a restarted process may listen elsewhere). */
  baseUrl(): string;
  /** Whether it is meant to be up: a refused connection to a target that is down is expected. */
  up(): boolean;
}

export interface PollReport {
  requests: number;
  byStatus: Record<number, number>;
  honest503: number;
  /** 5xx answers other than an honest 503, with what was asked. */
  serverErrors: string[];
  hangs: string[];
  refused: number;
  /** Refused by a target meant to be up. */
  refusedWhileUp: string[];
  maxLatencyMs: number;
}

export class ApiPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly report: PollReport = { requests: 0, byStatus: {}, honest503: 0, serverErrors: [], hangs: [], refused: 0, refusedWhileUp: [], maxLatencyMs: 0 };

  constructor(
    private readonly targets: readonly PollTarget[],
    private readonly token: string,
    /** Paths to cycle through; computed at each turn so they can name resources created later. */
    private readonly paths: () => string[],
    private readonly options: { intervalMs?: number; timeoutMs?: number } = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<PollReport> {
    this.running = false;
    await this.loop;
    return this.report;
  }

  private async run(): Promise<void> {
    let turn = 0;
    while (this.running) {
      const paths = this.paths();
      const path = paths[turn % Math.max(paths.length, 1)] ?? '/health';
      const target = this.targets[turn % this.targets.length];
      turn += 1;
      if (target !== undefined) await this.poll(target, path);
      await sleep(this.options.intervalMs ?? 100);
    }
  }

  private async poll(target: PollTarget, path: string): Promise<void> {
    const wasUp = target.up();
    const started = Date.now();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    try {
      const response = await fetch(`${target.baseUrl()}${path}`, {
        headers: { authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const ms = Date.now() - started;
      this.report.requests += 1;
      this.report.maxLatencyMs = Math.max(this.report.maxLatencyMs, ms);
      this.report.byStatus[response.status] = (this.report.byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500) {
        const honest = response.status === 503 && (response.headers.get('retry-after') !== null || (path.startsWith('/health') && text.includes('"degraded"')));
        if (honest) this.report.honest503 += 1;
        else this.report.serverErrors.push(`${response.status} ${path} (${target.baseUrl()}): ${text.slice(0, 300)}`);
      }
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.report.requests += 1;
        this.report.hangs.push(`${path} (${target.baseUrl()}): no answer within ${timeoutMs} ms`);
        return;
      }
      // Connection refused or reset: a coordinator being killed or restarted.
      this.report.refused += 1;
      if (wasUp && target.up()) this.report.refusedWhileUp.push(`${path} (${target.baseUrl()}): ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
    }
  }
}
