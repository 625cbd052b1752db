import { Inject, Injectable } from '@nestjs/common';
import type { ActiveMaintenance } from '@crosscheck/checks';
import { CompiledWindow } from './maintenance-window';
import { MaintenanceRepository } from './maintenance.repository';

/** A monitor as the calendar matches it: its id, and its labels once monitors have them. */
export interface MaintainedMonitor {
  id: string;
  labels?: Readonly<Record<string, string>>;
}

/**
 * Which maintenance window a monitor is in at a given time, asked once per round. Each coordinator
 * keeps every window compiled in memory (at most `MAX_MAINTENANCE_WINDOWS`), indexed by monitor id
 * (and a short list of the windows that select by labels); a round costs one `GET` of the
 * calendar's version, and a reload only when a write changed it. The answer depends on the round's
 * `scheduledAt`, not on the clock, so every coordinator decides the same for the same round.
 */
@Injectable()
export class MaintenanceCalendar {
  private version: string | null = null;
  private byMonitor = new Map<string, CompiledWindow[]>();
  private byLabels: CompiledWindow[] = [];
  private all: CompiledWindow[] = [];
  private loading: Promise<void> | null = null;

  constructor(@Inject(MaintenanceRepository) private readonly repository: MaintenanceRepository) {}

  /** The window `monitor` is in at `at` (epoch ms; a round's `scheduledAt`), the earliest created if several; `null` when none. */
  async activeAt(monitor: MaintainedMonitor, at: number): Promise<ActiveMaintenance | null> {
    await this.refresh();
    const candidates = [...(this.byMonitor.get(monitor.id) ?? []), ...this.byLabels.filter((window) => window.covers(monitor))];
    candidates.sort((a, b) => (a.window.id < b.window.id ? -1 : 1));
    for (const window of candidates) {
      if (window.occurrenceAt(at) !== null) return { windowId: window.window.id, reason: window.window.reason };
    }
    return null;
  }

  /** Every window covering `monitor`, compiled (for the status pages' words). */
  async windowsOf(monitor: MaintainedMonitor): Promise<CompiledWindow[]> {
    await this.refresh();
    return [...(this.byMonitor.get(monitor.id) ?? []), ...this.byLabels.filter((window) => window.covers(monitor))];
  }

  /** Every window, compiled (for the maintenance events). */
  async windows(): Promise<CompiledWindow[]> {
    await this.refresh();
    return this.all;
  }

  /** Reloads when the version moved; concurrent callers share one reload. */
  private async refresh(): Promise<void> {
    const version = await this.repository.version();
    if (version === this.version) return;
    this.loading ??= this.reload().finally(() => {
      this.loading = null;
    });
    await this.loading;
  }

  private async reload(): Promise<void> {
    const snapshot = await this.repository.snapshot();
    const byMonitor = new Map<string, CompiledWindow[]>();
    const byLabels: CompiledWindow[] = [];
    const all: CompiledWindow[] = [];
    for (const stored of snapshot.windows) {
      // Every stored window was validated on write; one that no longer compiles (a rule this version
      // reads differently) is left out rather than stopping every monitor's rounds.
      let compiled: CompiledWindow;
      try {
        compiled = new CompiledWindow(stored.window);
      } catch {
        continue;
      }
      all.push(compiled);
      if (stored.window.labels !== null) byLabels.push(compiled);
      for (const id of stored.window.monitorIds) byMonitor.set(id, [...(byMonitor.get(id) ?? []), compiled]);
    }
    [this.byMonitor, this.byLabels, this.all, this.version] = [byMonitor, byLabels, all, snapshot.version];
  }
}
