import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CLASSIFICATIONS } from '@crosscheck/checks';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AgentsRepository } from '../agents/agents.repository';
import { withTimeout } from '../core/with-timeout';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { SHARDS, ShardQueues } from '../queues/shard-queues.service';
import { coordinatorKeys } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { queueCounts, type QueueCounts } from '../regions/queue-counts';
import { RegionQueues } from '../regions/region-queues.service';
import { RoundStats } from '../scheduling/round-stats';
import { WEBHOOK_DELIVERIES_QUEUE } from '../webhooks/webhook-delivery-job';
import { WebhookDeliveryTally } from '../webhooks/webhook-delivery-tally';
import { MAX_MONITORS_PER_SCRAPE, MonitorMetricsReader, type MonitorMetrics } from './monitor-metrics.reader';

/** The states of a region in `crosscheck_region_status`. */
const REGION_STATUSES = ['up', 'degraded', 'down', 'missing'] as const;
/** The phases of `crosscheck_check_duration_seconds`, with the observation's timing each one reads. */
const PHASES = [
  ['dns', 'dns'],
  ['connect', 'connect'],
  ['tls', 'tls'],
  ['first_byte', 'firstByte'],
  ['total', 'total'],
] as const;
/** Round start lag buckets (s): a healthy coordinator starts rounds within tens of ms; seconds mean it is behind. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/**
 * A scrape's reads must finish within this, or the scrape fails (503): Prometheus' default scrape
 * timeout is 10 s, and a target that cannot read Redis should say so rather than hang.
 */
export const SCRAPE_TIMEOUT_MS = 5_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const satisfies readonly (keyof QueueCounts)[];

/**
 * The coordinator's Prometheus metrics, on a registry of their own (not prom-client's global one).
 * Gauges are read at scrape time ({@link refresh}) from what Redis already keeps: per monitor and
 * region (cardinality: monitors x regions, at most {@link MAX_MONITORS_PER_SCRAPE} monitors), the
 * open incidents, the queues and the live agents. Counters and the lag histogram count in this
 * process since it started: with several coordinators, sum them in Prometheus.
 */
@Injectable()
export class CoordinatorMetrics implements OnModuleInit {
  readonly registry = new Registry();
  private readonly logger: Logger;
  private readonly regionUp: Gauge<'monitor_id' | 'monitor' | 'region'>;
  private readonly regionStatus: Gauge<'monitor_id' | 'monitor' | 'region' | 'status'>;
  private readonly classification: Gauge<'monitor_id' | 'monitor' | 'classification'>;
  private readonly checkDuration: Gauge<'monitor_id' | 'region' | 'phase'>;
  private readonly monitorsTruncated: Gauge;
  private readonly incidentsOpen: Gauge;
  private readonly startLag: Histogram;
  private readonly rounds: Counter<'outcome'>;
  private readonly deliveries: Counter<'outcome'>;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly agentsLive: Gauge<'region'>;
  private refreshing: Promise<void> | null = null;
  private warnedTruncated = false;

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(MonitorMetricsReader) private readonly reader: MonitorMetricsReader,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(AgentsRepository) private readonly agents: AgentsRepository,
    @Inject(ShardQueues) private readonly shardQueues: ShardQueues,
    @Inject(RegionQueues) private readonly regionQueues: RegionQueues,
    @InjectQueue(WEBHOOK_DELIVERIES_QUEUE) private readonly deliveryQueue: Queue,
    @Inject(RoundStats) private readonly roundStats: RoundStats,
    @Inject(WebhookDeliveryTally) private readonly tally: WebhookDeliveryTally,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'metrics' });
    const registers = [this.registry];
    const cap = `at most ${MAX_MONITORS_PER_SCRAPE} monitors per scrape (see crosscheck_metrics_monitors_truncated)`;
    this.regionUp = new Gauge({
      name: 'crosscheck_region_up',
      help: `1 when the region's verdict in the monitor's latest finalized round is up, 0 otherwise (degraded, down, missing); ${cap}`,
      labelNames: ['monitor_id', 'monitor', 'region'],
      registers,
    });
    this.regionStatus = new Gauge({
      name: 'crosscheck_region_status',
      help: "State set: 1 for the region's status in the monitor's latest finalized round (up, degraded, down, missing), 0 for the others",
      labelNames: ['monitor_id', 'monitor', 'region', 'status'],
      registers,
    });
    this.classification = new Gauge({
      name: 'crosscheck_monitor_classification',
      help: `State set: 1 for the classification of the monitor's latest round (${CLASSIFICATIONS.join(', ')}), 0 for the others; all 0 before its first round`,
      labelNames: ['monitor_id', 'monitor', 'classification'],
      registers,
    });
    this.checkDuration = new Gauge({
      name: 'crosscheck_check_duration_seconds',
      help: "Timings of the region's latest result by phase (dns, connect, tls, first_byte, total): a gauge of the latest check, not a histogram; a phase the probe did not go through (a reused connection, plain HTTP) is absent",
      labelNames: ['monitor_id', 'region', 'phase'],
      registers,
    });
    this.monitorsTruncated = new Gauge({
      name: 'crosscheck_metrics_monitors_truncated',
      help: `1 when there are more monitors than the ${MAX_MONITORS_PER_SCRAPE} a scrape reads (the per-monitor series show the first ones by id)`,
      registers,
    });
    this.incidentsOpen = new Gauge({ name: 'crosscheck_incidents_open', help: 'Incidents open now (all monitors)', registers });
    this.startLag = new Histogram({
      name: 'crosscheck_round_start_lag_seconds',
      help: "Time from a round's scheduled moment to its fan-out, for the rounds this process started",
      buckets: LAG_BUCKETS,
      registers,
    });
    this.rounds = new Counter({
      name: 'crosscheck_rounds_total',
      help: 'Rounds this process took up, by outcome: started (fanned out), skipped_late (too late to start), skipped_deleted (monitor gone); per process, sum across coordinators',
      labelNames: ['outcome'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'crosscheck_webhook_deliveries_total',
      help: 'Webhook delivery attempts this process made, by outcome (succeeded, retrying, failed, disabled, skipped); per process, sum across coordinators',
      labelNames: ['outcome'],
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'crosscheck_queue_jobs',
      help: 'Jobs in the queues by state (waiting, active, delayed, failed): rounds, round_deadlines, webhook_deliveries (all shards), checks:<region> and results:<region>',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.agentsLive = new Gauge({
      name: 'crosscheck_agents_live',
      help: 'Agents of the region whose heartbeat is recent (0: the region is blind), for every region a monitor checks from',
      labelNames: ['region'],
      registers,
    });
  }

  onModuleInit(): void {
    this.roundStats.onStart((lagMs) => this.startLag.observe(Math.max(0, lagMs) / 1_000));
  }

  /** The metrics in Prometheus' text format, read now; throws `StepTimeoutError` past {@link SCRAPE_TIMEOUT_MS}. */
  async scrape(): Promise<string> {
    // Scrapes at once (two Prometheus servers) share one read; one that timed out is not waited on again.
    this.refreshing ??= withTimeout(this.refresh(), SCRAPE_TIMEOUT_MS, 'redis').finally(() => {
      this.refreshing = null;
    });
    await this.refreshing;
    return this.registry.metrics();
  }

  /** Prometheus' content type for {@link scrape}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private async refresh(): Promise<void> {
    const regions = await this.monitors.knownRegions();
    const [page, incidentsOpen, coverage, queues] = await Promise.all([
      this.reader.read(),
      Promise.all(SHARDS.map((shard) => this.redis.zcard(coordinatorKeys.openIncidents(shard)))),
      this.agents.coverage(regions),
      this.queues(regions),
    ]);
    if (page.truncated && !this.warnedTruncated) {
      this.logger.warn({ max: MAX_MONITORS_PER_SCRAPE }, 'more monitors than /metrics reads per scrape: per-monitor series show the first ones by id');
    }
    this.warnedTruncated = page.truncated;
    // Everything read: the series are replaced at once, so a deleted monitor's series go with it.
    this.applyMonitors(page.monitors);
    this.monitorsTruncated.set(page.truncated ? 1 : 0);
    this.incidentsOpen.set(incidentsOpen.reduce((sum, count) => sum + count, 0));
    this.agentsLive.reset();
    for (const region of regions) this.agentsLive.set({ region }, coverage[region]?.liveAgents ?? 0);
    this.queueJobs.reset();
    for (const [queue, counts] of queues) for (const state of QUEUE_STATES) this.queueJobs.set({ queue, state }, counts[state]);
    const rounds = this.roundStats.snapshot();
    setCounter(this.rounds, [
      ['started', rounds.started],
      ['skipped_late', rounds.skippedLate],
      ['skipped_deleted', rounds.skippedDeleted],
    ]);
    setCounter(this.deliveries, [...this.tally.snapshot()]);
  }

  private applyMonitors(monitors: readonly MonitorMetrics[]): void {
    this.regionUp.reset();
    this.regionStatus.reset();
    this.classification.reset();
    this.checkDuration.reset();
    for (const monitor of monitors) {
      const named = { monitor_id: monitor.monitorId, monitor: monitor.name };
      for (const classification of CLASSIFICATIONS) this.classification.set({ ...named, classification }, monitor.classification === classification ? 1 : 0);
      for (const region of monitor.regions) {
        this.regionUp.set({ ...named, region: region.region }, region.status === 'up' ? 1 : 0);
        for (const status of REGION_STATUSES) this.regionStatus.set({ ...named, region: region.region, status }, region.status === status ? 1 : 0);
        if (region.timings === null || region.timings === undefined) continue;
        for (const [phase, field] of PHASES) {
          const ms = region.timings[field];
          if (ms !== undefined) this.checkDuration.set({ monitor_id: monitor.monitorId, region: region.region, phase }, ms / 1_000);
        }
      }
    }
  }

  private async queues(regions: readonly string[]): Promise<[string, QueueCounts][]> {
    const [rounds, deadlines, deliveries, perRegion] = await Promise.all([
      this.shardQueues.totals('rounds'),
      this.shardQueues.totals('deadlines'),
      queueCounts(this.deliveryQueue),
      Promise.all(regions.map(async (region) => [region, await this.regionQueues.counts(region)] as const)),
    ]);
    return [
      ['rounds', rounds],
      ['round_deadlines', deadlines],
      ['webhook_deliveries', deliveries],
      ...perRegion.flatMap(([region, counts]): [string, QueueCounts][] => [
        [`checks:${region}`, counts.checks],
        [`results:${region}`, counts.results],
      ]),
    ];
  }
}

/** Sets a counter to the totals an in-memory tally keeps (they only grow, so the counter does too). */
function setCounter(counter: Counter<'outcome'>, totals: readonly (readonly [string, number])[]): void {
  counter.reset();
  for (const [outcome, total] of totals) counter.inc({ outcome }, total);
}
