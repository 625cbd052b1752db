import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { AgentsRepository } from '../agents/agents.repository';
import { withTimeout } from '../core/with-timeout';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { ShardQueues } from '../queues/shard-queues.service';
import { WorkerWatchdog } from '../queues/worker-watchdog.service';
import { RedisPreflight } from '../redis/redis-preflight.service';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { RegionQueues } from '../regions/region-queues.service';
import type { HealthReport } from './health-report';

/** Redis must answer a PING within this, or the coordinator is degraded. */
const PING_TIMEOUT_MS = 1_000;
/** Everything else (queue counts, heartbeats) must come within this. */
const DETAILS_TIMEOUT_MS = 2_000;

/**
 * An honest health check: RedisClient reachable (bounded time), configured not to evict, every region
 * with a live agent, every worker consuming. Anything else is `degraded` (answered 503).
 */
@Injectable()
export class HealthService {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(RedisPreflight) private readonly preflight: RedisPreflight,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(AgentsRepository) private readonly agents: AgentsRepository,
    @Inject(RegionQueues) private readonly regionQueues: RegionQueues,
    @Inject(WorkerWatchdog) private readonly watchdog: WorkerWatchdog,
    @Inject(ShardQueues) private readonly shardQueues: ShardQueues,
  ) {}

  async check(): Promise<HealthReport> {
    const reasons: string[] = [];
    const workers = this.watchdog.states();
    for (const [name, running] of Object.entries(workers)) if (!running) reasons.push(`worker ${name} is not consuming`);

    const started = performance.now();
    let redisOk = false;
    try {
      if (this.redis.status !== 'ready') throw new Error(`redis connection is ${this.redis.status}`);
      await withTimeout(this.redis.ping(), PING_TIMEOUT_MS, 'redis');
      redisOk = true;
    } catch (error) {
      reasons.push(`redis unreachable: ${(error as Error).message}`);
    }
    const latencyMs = redisOk ? Math.round((performance.now() - started) * 10) / 10 : null;
    if (!redisOk) {
      return { status: 'degraded', reasons, redis: { ok: false, latencyMs, maxmemoryPolicy: null }, queues: null, workers, agents: null };
    }

    try {
      const [settings, details] = await withTimeout(Promise.all([this.preflight.readSettings(), this.details()]), DETAILS_TIMEOUT_MS, 'redis');
      if (settings.maxmemoryPolicy !== null && settings.maxmemoryPolicy !== 'noeviction') {
        reasons.push(`redis maxmemory-policy is ${settings.maxmemoryPolicy}, not noeviction: keys may be evicted`);
      }
      if (details.agents.blindRegions.length > 0) reasons.push(`blind regions (no live agent): ${details.agents.blindRegions.join(', ')}`);
      return {
        status: reasons.length === 0 ? 'ok' : 'degraded',
        reasons,
        redis: { ok: true, latencyMs, maxmemoryPolicy: settings.maxmemoryPolicy },
        queues: details.queues,
        workers,
        agents: details.agents,
      };
    } catch (error) {
      reasons.push(`could not read queues and agents: ${(error as Error).message}`);
      return { status: 'degraded', reasons, redis: { ok: true, latencyMs, maxmemoryPolicy: null }, queues: null, workers, agents: null };
    }
  }

  private async details(): Promise<Pick<HealthReport, 'queues' | 'agents'> & { queues: NonNullable<HealthReport['queues']>; agents: NonNullable<HealthReport['agents']> }> {
    const regions = await this.monitors.knownRegions();
    const [rounds, roundDeadlines, coverage, regionCounts] = await Promise.all([
      this.shardQueues.totals('rounds'),
      this.shardQueues.totals('deadlines'),
      this.agents.coverage(regions),
      Promise.all(regions.map(async (region) => [region, await this.regionQueues.counts(region)] as const)),
    ]);
    return {
      queues: { rounds, roundDeadlines, regions: Object.fromEntries(regionCounts) },
      agents: { blindRegions: regions.filter((region) => coverage[region]?.blind), regions: coverage },
    };
  }
}
