import { Inject, Injectable } from '@nestjs/common';
import { baselineSchema, redactDeep } from '@crosscheck/checks';
import type { MonitorBaselinesView } from '@crosscheck/contract';
import { presentIncident } from '../incidents/incident-record';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { isMonitorId } from '../monitors/monitor-id';
import { notFound } from '../http/problem';
import type { MonitorStatus, ResultView } from './monitor-status';
import type { RegionReport } from './round';
import { missingRegionReason, presentRound } from './round-presentation';
import { RoundsRepository, type HistoryQuery } from './rounds.repository';

/**
 * Reads a monitor's status and result history for the API. What agents reported is shown redacted
 * (URL userinfo, credential headers): an agent of an older version, or a hostile one, may not have.
 */
@Injectable()
export class MonitorResultsService {
  constructor(
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(RoundsRepository) private readonly rounds: RoundsRepository,
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
  ) {}

  async status(monitorId: string): Promise<MonitorStatus> {
    const stored = isMonitorId(monitorId) ? await this.monitors.get(monitorId) : null;
    if (!stored) throw notFound(`monitor ${monitorId} not found`);
    const [round, { classification, incident }] = await Promise.all([
      this.rounds.latestRound(monitorId),
      this.incidents.monitorView(monitorId),
    ]);
    const regions: Record<string, RegionReport> = {};
    for (const region of stored.monitor.regions) {
      regions[region] = round?.regions[region] ?? {
        status: 'missing',
        causes: [],
        evidence: null,
        agentId: null,
        agentVersion: null,
        checkedAt: null,
        reason: missingRegionReason(round),
      };
    }
    return redactDeep({
      monitorId,
      round: presentRound(round),
      regions,
      classification,
      incident: incident ? presentIncident(incident) : null,
    });
  }

  /** What each of the monitor's regions learned a healthy response looks like (`null`: nothing yet). */
  async baselines(monitorId: string): Promise<MonitorBaselinesView> {
    const stored = isMonitorId(monitorId) ? await this.monitors.get(monitorId) : null;
    if (!stored) throw notFound(`monitor ${monitorId} not found`);
    const { baselines } = await this.rounds.regionMemory(monitorId);
    const regions: MonitorBaselinesView['regions'] = {};
    for (const region of stored.monitor.regions) {
      // Stored as the agent sent it (validated on intake); one that no longer parses reads as none.
      const parsed = baselines[region] === undefined ? undefined : baselineSchema.safeParse(baselines[region]);
      regions[region] = parsed?.success ? parsed.data : null;
    }
    return redactDeep({ monitorId, regions });
  }

  /**
   * Forgets what the regions learned (all of the monitor's, or one), so that they learn afresh: for a
   * response that changed for good in a way the baseline does not adopt by itself (content that
   * stopped advancing on purpose, a new health document).
   */
  async forgetBaselines(monitorId: string, region: string | undefined): Promise<void> {
    const stored = isMonitorId(monitorId) ? await this.monitors.get(monitorId) : null;
    if (!stored) throw notFound(`monitor ${monitorId} not found`);
    if (region !== undefined && !stored.monitor.regions.includes(region)) {
      throw notFound(`monitor ${monitorId} does not check from region ${region} (it checks from ${stored.monitor.regions.join(', ')})`);
    }
    await this.rounds.forgetBaselines(monitorId, region !== undefined ? [region] : stored.monitor.regions);
  }

  async results(monitorId: string, query: HistoryQuery): Promise<{ items: ResultView[]; nextCursor: string | null }> {
    const stored = isMonitorId(monitorId) ? await this.monitors.get(monitorId) : null;
    if (!stored) throw notFound(`monitor ${monitorId} not found`);
    const page = await this.rounds.history(monitorId, query);
    return {
      items: redactDeep(page.items).map(({ monitorId: _monitorId, scheduledAt, startedAt, recordedAt, ...rest }) => ({
        ...rest,
        scheduledAt: new Date(scheduledAt).toISOString(),
        startedAt: startedAt === undefined ? null : new Date(startedAt).toISOString(),
        recordedAt: new Date(recordedAt).toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
