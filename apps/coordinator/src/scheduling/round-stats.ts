import type { StatsView } from '@crosscheck/contract';

/** Figures about starting rounds since this process started, as `/v1/stats` shows them (`statsSchema`). */
export type RoundStatsSnapshot = StatsView['rounds'];

const SAMPLES = 1_000;

/** Called with each started round's start lag (ms). */
export type RoundStartListener = (lagMs: number) => void;

/**
 * In-memory counters and a ring buffer of round start lags, read by `/v1/stats`; `/metrics`
 * reads the counters and listens to each start (its lag histogram needs every sample).
 */
export class RoundStats {
  private readonly listeners: RoundStartListener[] = [];
  private started = 0;
  private skippedLate = 0;
  private skippedDeleted = 0;
  private readonly lags: number[] = [];
  private next = 0;
  private last: number | null = null;

  recordStart(lagMs: number): void {
    this.started++;
    this.last = lagMs;
    if (this.lags.length < SAMPLES) this.lags.push(lagMs);
    else this.lags[this.next] = lagMs;
    this.next = (this.next + 1) % SAMPLES;
    for (const listener of this.listeners) listener(lagMs);
  }

  /** Calls `listener` with the lag of every round started from now on. */
  onStart(listener: RoundStartListener): void {
    this.listeners.push(listener);
  }

  recordSkippedLate(): void {
    this.skippedLate++;
  }

  recordSkippedDeleted(): void {
    this.skippedDeleted++;
  }

  snapshot(): RoundStatsSnapshot {
    const sorted = [...this.lags].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null));
    return {
      started: this.started,
      skippedLate: this.skippedLate,
      skippedDeleted: this.skippedDeleted,
      startLagMs: {
        samples: sorted.length,
        last: this.last,
        p50: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
        max: sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null),
      },
    };
  }
}
