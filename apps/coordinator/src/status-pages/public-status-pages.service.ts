import { Inject, Injectable } from '@nestjs/common';
import { MAX_STATUS_PAGES, type PublicStatusPage } from '@crosscheck/contract';
import { Clock } from '../core/clock';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { MaintenanceCalendar } from '../maintenance/maintenance-calendar.service';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { UptimeService } from '../rollups/uptime.service';
import {
  buildPublicStatusPage,
  PUBLIC_DAYS,
  PUBLIC_INCIDENTS_PER_MONITOR,
  PUBLIC_MAINTENANCE_AHEAD_MS,
  type IncidentFacts,
  type MaintenanceFacts,
  type MonitorFacts,
} from './public-status-view';
import { StatusPagesService } from './status-pages.service';

/**
 * A page's public view is built at most once per this long per coordinator (and once for any
 * number of requests that arrive while it is being built): a status page is read hardest during an
 * outage, by everyone at once, and each build reads every monitor's uptime, series and incidents.
 * Public answers may be cached 30 s anyway (`Cache-Control: public, max-age=30`).
 */
export const PUBLIC_VIEW_TTL_MS = 5_000;

const DAY_MS = 86_400_000;

interface CachedView {
  builtAt: number;
  view: Promise<PublicStatusPage | null>;
}

/**
 * The public view of status pages (`/status/{slug}`), from the monitors' names (their catalog
 * entries, nothing else of them), their latest classification, their uptime and series (through
 * the rollups' {@link UptimeService}: `uptime(id, '90d')` and `series(id, '90d', '1d')`) and their
 * incidents. A monitor deleted since the page was written is left out.
 */
@Injectable()
export class PublicStatusPages {
  private readonly cache = new Map<string, CachedView>();

  constructor(
    @Inject(StatusPagesService) private readonly pages: StatusPagesService,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(UptimeService) private readonly uptime: UptimeService,
    @Inject(MaintenanceCalendar) private readonly calendar: MaintenanceCalendar,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    // A page written here is shown as written at once (other coordinators within the TTL).
    pages.onChange((slug) => this.cache.delete(slug));
  }

  /** The page at `slug` as anyone may see it; `null` when there is none. */
  async view(slug: string): Promise<PublicStatusPage | null> {
    const now = this.clock.now();
    const cached = this.cache.get(slug);
    if (cached && now - cached.builtAt < PUBLIC_VIEW_TTL_MS) return cached.view;
    const view = this.build(slug, now);
    if (this.cache.size >= MAX_STATUS_PAGES) this.forgetExpired(now);
    this.cache.set(slug, { builtAt: now, view });
    try {
      const built = await view;
      // Unknown slugs are not kept: anyone can ask for any number of them.
      if (built === null) this.cache.delete(slug);
      return built;
    } catch (error) {
      this.cache.delete(slug);
      throw error;
    }
  }

  /** Drops views past their time: slugs no one asks for any more (a page moved or deleted on another coordinator). */
  private forgetExpired(now: number): void {
    for (const [slug, cached] of this.cache) if (now - cached.builtAt >= PUBLIC_VIEW_TTL_MS) this.cache.delete(slug);
  }

  private async build(slug: string, now: number): Promise<PublicStatusPage | null> {
    const stored = await this.pages.bySlug(slug);
    if (stored === null) return null;
    const facts = await Promise.all(stored.page.monitorIds.map((monitorId) => this.factsOf(monitorId, now)));
    return buildPublicStatusPage(stored.page, facts.filter((fact): fact is MonitorFacts => fact !== null), now);
  }

  /** What the page shows of one monitor; `null` when it is gone. */
  private async factsOf(monitorId: string, now: number): Promise<MonitorFacts | null> {
    const [monitor, { classification, incident: open }, listed, uptime, series, windows] = await Promise.all([
      this.monitors.present(monitorId),
      this.incidents.monitorView(monitorId),
      this.incidents.list({ monitorId, limit: PUBLIC_INCIDENTS_PER_MONITOR }),
      this.uptime.uptime(monitorId, '90d'),
      this.uptime.series(monitorId, '90d', '1d'),
      this.calendar.windowsOf({ id: monitorId }),
    ]);
    const maintenance: MaintenanceFacts[] = windows.flatMap((window) =>
      window.schedule.overlapping(now, now + PUBLIC_MAINTENANCE_AHEAD_MS, 3).map((occurrence) => ({ ...occurrence, reason: window.window.reason })),
    );
    if (monitor === null) return null;
    const oldest = now - PUBLIC_DAYS * DAY_MS;
    const records = [...(open ? [open] : []), ...listed.items.filter((record) => record.id !== open?.id)];
    const incidents: IncidentFacts[] = records
      .filter((record) => record.state === 'open' || (record.resolvedAt !== null && Date.parse(record.resolvedAt) >= oldest))
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))
      .map((record) => ({
        state: record.state,
        classification: record.classification,
        affectedRegions: record.affectedRegions,
        startedAt: record.startedAt,
        resolvedAt: record.resolvedAt,
      }));
    return {
      name: monitor.name,
      latest: classification === null ? null : { classification: classification.classification, affectedRegions: classification.affectedRegions },
      uptime,
      series,
      incidents,
      maintenance,
    };
  }
}
