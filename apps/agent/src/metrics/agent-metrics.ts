import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Registry } from 'prom-client';
import type { CheckEnd, CheckObserver } from '../check/check-job.processor';

/** What the agent's metrics read at scrape time. */
export interface AgentMetricsSource {
  /** Checks being processed now. */
  inFlight(): number;
  /** The memory budget for bodies in flight: bytes reserved now, and the limit; `undefined` before the agent started. */
  memory(): { usedBytes: number; limitBytes: number } | undefined;
}

/** Resolution of the event-loop delay sampling (ms): coarse enough to cost nothing measurable. */
const EVENT_LOOP_RESOLUTION_MS = 20;

/**
 * The agent's Prometheus metrics on a registry of their own: checks by how they ended, probe
 * errors by code, checks in flight, event-loop lag and the memory budget. Only what is cheap:
 * no default process metrics. Loaded only when `METRICS_PORT` is set.
 */
export class AgentMetrics implements CheckObserver {
  readonly registry = new Registry();
  private readonly checks: Counter<'status'>;
  private readonly probeErrors: Counter<'code'>;
  private readonly loopDelay: IntervalHistogram;

  constructor(source: AgentMetricsSource) {
    const registers = [this.registry];
    this.checks = new Counter({
      name: 'crosscheck_agent_checks_total',
      help: 'Checks this agent ended, by status: its verdict (up, degraded, down), dropped (past its deadline), skipped (result already delivered), error (failed, retried by the queue)',
      labelNames: ['status'],
      registers,
    });
    this.probeErrors = new Counter({
      name: 'crosscheck_agent_probe_errors_total',
      help: 'Probes that got no response, by error code (dns_failure, connection_refused, timeout, tls_error, ...)',
      labelNames: ['code'],
      registers,
    });
    new Gauge({
      name: 'crosscheck_agent_checks_in_flight',
      help: 'Checks being processed now',
      registers,
      collect() {
        this.set(source.inFlight());
      },
    });
    const loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    loopDelay.enable();
    this.loopDelay = loopDelay;
    new Gauge({
      name: 'crosscheck_agent_event_loop_lag_seconds',
      help: `p99 event-loop delay since the previous scrape (sampled every ${EVENT_LOOP_RESOLUTION_MS} ms, which is included); a busy agent probes late`,
      registers,
      collect() {
        // No sample yet (a scrape right after the previous one): nothing to say.
        if (loopDelay.count > 0) this.set(Math.max(0, loopDelay.percentile(99) / 1e9 - EVENT_LOOP_RESOLUTION_MS / 1_000));
        loopDelay.reset();
      },
    });
    new Gauge({
      name: 'crosscheck_agent_memory_budget_bytes',
      help: 'The memory budget for response bodies in flight (AGENT_MEMORY_BUDGET_BYTES): kind="used" bytes reserved now, kind="limit" the budget',
      labelNames: ['kind'],
      registers,
      collect() {
        const memory = source.memory();
        if (memory === undefined) return;
        this.set({ kind: 'used' }, memory.usedBytes);
        this.set({ kind: 'limit' }, memory.limitBytes);
      },
    });
  }

  ended(end: CheckEnd): void {
    this.checks.inc({ status: end });
  }

  probeFailed(code: string): void {
    this.probeErrors.inc({ code });
  }

  /** Stops sampling the event loop. */
  stop(): void {
    this.loopDelay.disable();
  }
}
