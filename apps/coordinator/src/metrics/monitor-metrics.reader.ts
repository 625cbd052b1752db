import { Inject, Injectable } from '@nestjs/common';
import type { ClassificationSummary } from '../incidents/incident-record';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { coordinatorKeys, shardOf } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { LatestRegionResult, RegionStatus, RoundSummary } from '../results/round';

/** Monitors one scrape reads at most: a scrape's cost stays bounded however many there are. */
export const MAX_MONITORS_PER_SCRAPE = 10_000;
/** Monitors read per batch (one pipeline per state shard of a batch: one slot each on a cluster). */
const BATCH = 500;

/** What `/metrics` shows of one region of a monitor. */
export interface RegionMetrics {
  region: string;
  /** In the monitor's latest finalized round; `missing` when the region was not in it (or there is none). */
  status: RegionStatus;
  /** The region's latest result's timings (ms), when one is stored with them. */
  timings: LatestRegionResult['timings'] | null;
}

/** What `/metrics` shows of one monitor. */
export interface MonitorMetrics {
  monitorId: string;
  name: string;
  /** The latest applied round's classification; `null` before any. */
  classification: ClassificationSummary['classification'] | null;
  regions: RegionMetrics[];
}

/** The monitors a scrape read, and whether there were more than it reads. */
export interface MonitorMetricsPage {
  monitors: MonitorMetrics[];
  truncated: boolean;
}

/**
 * Reads the state `/metrics` shows per monitor, at scrape time, from what the rounds and the
 * incident machine already keep: the latest finalized round, each region's latest result and the
 * latest classification. Monitors are read 500 at a time (their documents in one pipeline, their
 * states in one pipeline per state shard), at most {@link MAX_MONITORS_PER_SCRAPE}.
 */
@Injectable()
export class MonitorMetricsReader {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
  ) {}

  async read(max = MAX_MONITORS_PER_SCRAPE): Promise<MonitorMetricsPage> {
    const found: MonitorMetrics[] = [];
    let batch: { id: string; name: string; regions: readonly string[] }[] = [];
    let truncated = false;
    for await (const monitor of this.monitors.all(BATCH)) {
      if (found.length + batch.length >= max) {
        truncated = true;
        break;
      }
      batch.push({ id: monitor.id, name: monitor.name, regions: monitor.regions });
      if (batch.length === BATCH) {
        found.push(...(await this.states(batch)));
        batch = [];
      }
    }
    if (batch.length > 0) found.push(...(await this.states(batch)));
    return { monitors: found, truncated };
  }

  private async states(batch: readonly { id: string; name: string; regions: readonly string[] }[]): Promise<MonitorMetrics[]> {
    const byShard = new Map<number, (typeof batch)[number][]>();
    for (const monitor of batch) byShard.set(shardOf(monitor.id), [...(byShard.get(shardOf(monitor.id)) ?? []), monitor]);
    const shards = await Promise.all(
      [...byShard.values()].map(async (monitors) => {
        const pipeline = this.redis.pipeline();
        for (const monitor of monitors) {
          pipeline.hmget(coordinatorKeys.monitorState(monitor.id), 'round', ...monitor.regions.map((region) => `region:${region}`));
          pipeline.hget(coordinatorKeys.incidentState(monitor.id), 'classification');
        }
        const replies = (await pipeline.exec()) ?? [];
        return monitors.map((monitor, index): MonitorMetrics => {
          const [stateError, state] = replies[2 * index] ?? [null, []];
          const [classificationError, classification] = replies[2 * index + 1] ?? [null, null];
          if (stateError) throw stateError;
          if (classificationError) throw classificationError;
          const [roundJson, ...latestJson] = state as (string | null)[];
          const round = typeof roundJson === 'string' ? (JSON.parse(roundJson) as RoundSummary) : null;
          return {
            monitorId: monitor.id,
            name: monitor.name,
            classification: typeof classification === 'string' ? (JSON.parse(classification) as ClassificationSummary).classification : null,
            regions: monitor.regions.map((region, at) => {
              const latest = latestJson[at];
              return {
                region,
                status: round?.regions[region]?.status ?? 'missing',
                timings: typeof latest === 'string' ? ((JSON.parse(latest) as LatestRegionResult).timings ?? null) : null,
              };
            }),
          };
        });
      }),
    );
    return shards.flat();
  }
}
