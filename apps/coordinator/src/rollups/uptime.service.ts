import { Inject, Injectable } from '@nestjs/common';
import type { SeriesReport, SeriesStep, UptimeReport, UptimeWindow } from '@crosscheck/contract';
import { Clock } from '../core/clock';
import { RollupsRepository } from './rollups.repository';
import { seriesReport, uptimeReport } from './uptime-report';
import { DEFAULT_SERIES_STEPS, seriesSpan, tierReads, uptimeSpan } from './uptime-window';

/**
 * A monitor's uptime and latency history, read from the rollups its rounds' commits wrote: for the
 * API, status pages and anything else of the coordinator's. A monitor without rounds (or unknown:
 * whether it exists is the caller's business) gets zeros and nulls, never an error.
 */
@Injectable()
export class UptimeService {
  constructor(
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The `GET /v1/monitors/{id}/uptime` body: the window ending now. */
  async uptime(monitorId: string, window: UptimeWindow): Promise<UptimeReport> {
    const span = uptimeSpan(window, this.clock.now());
    // A sum: whole days are read from the day tier (`tierReads`).
    const parts = await Promise.all(tierReads(span).map((read) => this.rollups.buckets(monitorId, read.tier, read.from, read.to)));
    return uptimeReport(window, span, parts.flat());
  }

  /**
   * The `GET /v1/monitors/{id}/series` body: the window ending now, step by step (`step` defaults
   * per window, {@link DEFAULT_SERIES_STEPS}). Throws `RangeError` for a step the window cannot
   * take (`seriesStepProblem` says why; the route answers 400 before asking).
   */
  async series(monitorId: string, window: UptimeWindow, step: SeriesStep = DEFAULT_SERIES_STEPS[window]): Promise<SeriesReport> {
    const span = seriesSpan(window, step, this.clock.now());
    return seriesReport(window, step, span, await this.rollups.buckets(monitorId, span.tier, span.from, span.to));
  }
}
