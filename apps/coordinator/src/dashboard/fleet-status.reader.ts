import { redactDeep, type MonitorIncidentState } from '@crosscheck/checks';
import type { FleetMonitorView, FleetStatusView } from '@crosscheck/contract';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../core/clock';
import { presentIncident, type ClassificationSummary, type IncidentRecord } from '../incidents/incident-record';
import type { PresentedMonitor } from '../monitors/monitor';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { coordinatorKeys, shardOf } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { RoundSummary } from '../results/round';
import { missingRegionReason, presentRound } from '../results/round-presentation';
import { fleetRegion } from './fleet-region';

/** What one monitor's state keys hold, as read for the grid. */
interface MonitorState {
  round: RoundSummary | null;
  classification: ClassificationSummary | null;
  openIncidentId: string | null;
}

/**
 * Reads `GET /v1/status`: a page of monitors (one pipeline of documents) and the state of each
 * (the latest finalized round, the latest classification, the open incident) in one pipeline per
 * state shard, the open incidents in a second one: a page costs a few round trips whatever its
 * size, where the dashboard would otherwise ask `/v1/monitors/{id}/status` once per monitor.
 * What agents reported is shown redacted, as the status route does.
 */
@Injectable()
export class FleetStatusReader {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** A page of monitors in creation order, after `cursor`. */
  async page(limit: number, cursor?: string): Promise<FleetStatusView> {
    const page = await this.monitors.list(limit, cursor);
    return this.presentAll(page.items, page.nextCursor);
  }

  /** The page of one monitor (a monitor page's view of it), or an empty page when there is none. */
  async one(monitorId: string): Promise<FleetStatusView> {
    const monitor = await this.monitors.present(monitorId);
    return this.presentAll(monitor ? [monitor] : [], null);
  }

  private async presentAll(monitors: readonly PresentedMonitor[], nextCursor: string | null): Promise<FleetStatusView> {
    const states = await this.states(monitors.map((monitor) => monitor.id));
    const items = monitors.map((monitor) => present(monitor, states.get(monitor.id) ?? { state: { round: null, classification: null, openIncidentId: null }, incident: null }));
    return { items: redactDeep(items), nextCursor, generatedAt: new Date(this.clock.now()).toISOString() };
  }

  private async states(ids: readonly string[]): Promise<Map<string, { state: MonitorState; incident: IncidentRecord | null }>> {
    const byShard = new Map<number, string[]>();
    for (const id of ids) byShard.set(shardOf(id), [...(byShard.get(shardOf(id)) ?? []), id]);
    const read = new Map<string, { state: MonitorState; incident: IncidentRecord | null }>();
    await Promise.all(
      [...byShard.values()].map(async (shardIds) => {
        const pipeline = this.redis.pipeline();
        for (const id of shardIds) {
          pipeline.hget(coordinatorKeys.monitorState(id), 'round');
          pipeline.hmget(coordinatorKeys.incidentState(id), 'classification', 'state');
        }
        const replies = (await pipeline.exec()) ?? [];
        const states = shardIds.map((id, index): [string, MonitorState] => {
          const [roundError, round] = replies[2 * index] ?? [null, null];
          const [incidentError, fields] = replies[2 * index + 1] ?? [null, [null, null]];
          if (roundError) throw roundError;
          if (incidentError) throw incidentError;
          const [classification, machine] = fields as (string | null)[];
          const openId = typeof machine === 'string' ? ((JSON.parse(machine) as MonitorIncidentState).incident?.id ?? null) : null;
          return [
            id,
            {
              round: typeof round === 'string' ? (JSON.parse(round) as RoundSummary) : null,
              classification: typeof classification === 'string' ? (JSON.parse(classification) as ClassificationSummary) : null,
              openIncidentId: openId,
            },
          ];
        });
        // Incidents live in their monitor's shard: the open ones of this shard in one more round trip.
        const open = states.filter(([, state]) => state.openIncidentId !== null);
        const incidents = new Map<string, IncidentRecord>();
        if (open.length > 0) {
          const incidentPipeline = this.redis.pipeline();
          for (const [, state] of open) incidentPipeline.get(coordinatorKeys.incident(state.openIncidentId!));
          const incidentReplies = (await incidentPipeline.exec()) ?? [];
          open.forEach(([id], index) => {
            const [error, json] = incidentReplies[index] ?? [null, null];
            if (error) throw error;
            if (typeof json === 'string') incidents.set(id, JSON.parse(json) as IncidentRecord);
          });
        }
        for (const [id, state] of states) read.set(id, { state, incident: incidents.get(id) ?? null });
      }),
    );
    return read;
  }
}

function present(monitor: PresentedMonitor, read: { state: MonitorState; incident: IncidentRecord | null }): FleetMonitorView {
  const { round, classification } = read.state;
  const affected = new Set(classification?.affectedRegions ?? []);
  const missingNote = missingRegionReason(round);
  const regions: FleetMonitorView['regions'] = {};
  for (const region of monitor.regions) regions[region] = fleetRegion(round?.regions[region], affected.has(region), missingNote);
  return {
    monitorId: monitor.id,
    key: monitor.key,
    name: monitor.name,
    url: monitor.spec.url,
    intervalSeconds: monitor.intervalSeconds,
    round: presentRound(round),
    classification,
    incident: read.incident ? presentIncident(read.incident) : null,
    regions,
  };
}
