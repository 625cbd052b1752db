import { Inject, Injectable } from '@nestjs/common';
import { AGENT_STALE_AFTER_MS, agentKey, agentsKey } from '@crosscheck/contract';
import type { RedisClient } from '../redis/redis-connections';
import { Clock } from '../core/clock';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { AgentView, RegionCoverage } from './agent';

/**
 * Reads agents from the keys they keep themselves (wire contract): the sorted set
 * `cc:r:{<region>}:agents` (agent id → last heartbeat ms) and the expiring hash
 * `cc:r:{<region>}:agent:<id>`. The coordinator never writes them.
 */
@Injectable()
export class AgentsRepository {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Every agent that has beaten in these regions (live or not), by region then id. */
  async agents(regions: readonly string[]): Promise<AgentView[]> {
    const now = this.clock.now();
    const views: AgentView[] = [];
    for (const region of regions) {
      const flat = await this.redis.zrange(agentsKey(region), 0, -1, 'WITHSCORES');
      const beats: [string, number][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) beats.push([flat[i]!, Number(flat[i + 1])]);
      if (beats.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const [agentId] of beats) pipeline.hgetall(agentKey(region, agentId));
      const replies = (await pipeline.exec()) ?? [];
      beats.forEach(([agentId, lastBeat], index) => {
        const [error, reply] = replies[index] ?? [null, {}];
        const fields = !error && reply && typeof reply === 'object' ? (reply as Record<string, string>) : {};
        views.push({
          region,
          agentId,
          version: fields['version'] ?? null,
          host: fields['host'] ?? null,
          pid: numberOrNull(fields['pid']),
          startedAt: isoOrNull(fields['startedAt']),
          lastHeartbeat: new Date(lastBeat).toISOString(),
          inFlight: numberOrNull(fields['inFlight']),
          concurrency: numberOrNull(fields['concurrency']),
          memoryBudgetBytes: numberOrNull(fields['memoryBudgetBytes']),
          memoryReservedBytes: numberOrNull(fields['memoryReservedBytes']),
          waitingForMemory: numberOrNull(fields['waitingForMemory']),
          live: now - lastBeat <= AGENT_STALE_AFTER_MS,
        });
      });
    }
    return views.sort((a, b) => a.region.localeCompare(b.region) || a.agentId.localeCompare(b.agentId));
  }

  /** Live agents per region; a region with none is blind. */
  async coverage(regions: readonly string[]): Promise<Record<string, RegionCoverage>> {
    const since = this.clock.now() - AGENT_STALE_AFTER_MS;
    // One command per region, not one pipeline: on a Redis Cluster each region is on its own slot.
    const counts = await Promise.all(regions.map((region) => this.redis.zcount(agentsKey(region), since, '+inf')));
    const coverage: Record<string, RegionCoverage> = {};
    regions.forEach((region, index) => {
      const liveAgents = Number(counts[index] ?? 0);
      coverage[region] = { liveAgents, blind: liveAgents === 0 };
    });
    return coverage;
  }
}

function numberOrNull(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Agents write times as epoch ms; tolerate ISO strings too. */
function isoOrNull(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
