import {
  agentKey,
  agentsKey,
  CHECK_QUEUE,
  checkJobIdFor,
  checkResultSchema,
  CONTRACT_VERSION,
  shardPrefix,
  STATE_SHARDS,
  regionPrefix,
  RESULT_JOB_NAME,
  RESULT_QUEUE,
  type CheckJob,
  type CheckResult,
} from '@crosscheck/contract';
import { Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { REPO_ROOT } from './agent-process';
import type { Placement } from './agent-throughput';
import { benchRegion, RESULT_JOB_OPTIONS } from './jobs';
import { cpuPercent, cpuSnapshot, freePort, logTail, sleep, startProcess, waitFor, waitForQuietMachine, type Managed } from './processes';
import type { Cluster, Redis } from 'ioredis';
import { startRedisCluster } from './redis-cluster';
import { startRedis, type BenchRedis } from './redis-server';
import { distribution, round, type Distribution } from './stats';

export const COORDINATOR_MAIN = join(REPO_ROOT, 'apps', 'coordinator', 'dist', 'main.js');

/** The coordinator's rounds queue (apps/coordinator/src/queues/coordinator-queues.ts), watched for backlog. */
const ROUNDS_QUEUE = 'rounds';
/** The coordinator reconciles every scheduler this often from boot (schedule-reconciler.service.ts): work ∝ monitors, not rounds/s. */
const RECONCILE_EVERY_MS = 60_000;
const LAG_LIMIT_MS = 1_000;
/**
 * No AOF: its rewrites fork a child that inherits Redis's CPU pinning and competes with Redis on
 * its one core in bursts, which a production Redis on its own cores does not suffer (and the
 * project's Redis runs without persistence too). `BENCH_REDIS_AOF=1` turns it on.
 */
const AOF = process.env['BENCH_REDIS_AOF'] === '1';
/** The direct 30 s run tries this fraction of the count found at the short interval. */
const DIRECT_FRACTION = 0.7;

/** Where the coordinator's Redis runs: one server, or a bench-owned cluster of 3 masters. */
export type RedisTopology = 'single' | 'cluster';

/** Masters of the bench's cluster. */
export const CLUSTER_MASTERS = 3;

export interface CapacityOptions {
  placement: Placement;
  regions: number;
  /** Interval of the adaptive steps; the equivalent at 30 s has 30/interval times the monitors. */
  stepIntervalSeconds: number;
  /** Measured window of a step, in intervals. */
  windowIntervals: number;
  startEquivalent: number;
  maxEquivalent: number;
  /** Wall-clock budget of this part, seconds. */
  budgetSeconds: number;
  /** Check the result directly at intervalSeconds 30 when the budget allows. */
  confirm: boolean;
  log: (line: string) => void;
  /** Also run the headline count on a Redis Cluster (fresh cluster + coordinator, ~2 min). */
  cluster: boolean;
  /** More environment for every coordinator started (e.g. `ROLLUPS: 'off'`). */
  coordinatorEnv?: Record<string, string>;
}

export interface StepResult {
  /** One Redis, or a cluster of {@link CLUSTER_MASTERS} masters. */
  topology: RedisTopology;
  /** Monitors at intervalSeconds 30 that make the same rounds per second. */
  equivalentMonitorsAt30s: number;
  monitors: number;
  intervalSeconds: number;
  regions: number;
  roundsPerSecond: number;
  checkJobsPerSecond: number;
  createSeconds: number;
  windowSeconds: number;
  expectedChecks: number;
  observedChecks: number;
  missingChecks: number;
  /** `timestamp` of each check job (when the coordinator added it) minus the round's `scheduledAt`. */
  lagMs: Distribution;
  /** The coordinator's own view (`/v1/stats`: scheduled time to fan-out start), last ≤ 1000 rounds. */
  coordinatorStats: { p50: number | null; p95: number | null; max: number | null; skippedLate: number; started: number } | null;
  cpuPercent: Record<string, number>;
  /** Check jobs waiting for the fake agents at the end of the window (the consumers keeping up?). */
  consumerBacklog: number;
  /** Round jobs waiting in the coordinator's rounds queue at the end of the window. */
  roundsBacklog: number;
  /** Scheduler reconcile passes (every 60 s from boot, work ∝ monitors) that fell in the window. */
  reconcilePassesInWindow: number;
  /** Seconds from the coordinator's boot to the window's start (reconcile passes run at 0, 60, 120 … s). */
  windowStartSinceBootSeconds: number;
  /** p95 lag (ms) of the rounds scheduled in each second of the window: shows whether the lag is steady or a burst. */
  p95LagBySecondMs: (number | null)[];
  /** Time waited after creating monitors for the rounds backlog to drain (≤ one interval + 5 s). */
  settleSeconds: number;
  /** Processes the bench did not start, in % of one core, in the second before the window. */
  othersBeforeWindowPercent: number;
  /** Redis command time (INFO commandstats: execution only, no protocol I/O) per round over the window, ms. */
  redisCommandMsPerRound: number | null;
  /** Forks of Redis during the window (AOF rewrites, RDB saves): a forked child competes for CPU 1. */
  redisForks: number | null;
  /**
   * Redis commands (INFO commandstats calls, every node; a Lua script counts as one) per round the
   * coordinator started in the window (`/v1/stats`: each finalized within it by the fake agents).
   */
  redisCommandsPerRound: number | null;
  /** Each node's share of those commands (a master of the cluster, or the one server). */
  redisCommandsByNode: { node: string; calls: number; sharePercent: number }[];
  /** Where Redis spent its command time in the window (BullMQ's Lua scripts all count as evalsha). */
  redisTopCommands: { command: string; calls: number; usecPerCall: number; sharePercent: number }[];
  pass: boolean;
  failReasons: string[];
}

export interface CapacityResult {
  consumer: string;
  steps: StepResult[];
  /** Largest equivalent monitor count at 30 s × regions whose p95 and max lag stayed < 1 s (steps at the short interval). */
  sustainedEquivalentAt30s: number | null;
  firstFailingEquivalentAt30s: number | null;
  /** Direct runs at intervalSeconds 30 (fresh Redis and coordinator each), when time allowed. */
  confirmations: StepResult[];
  /**
   * The same direct 30 s run on a Redis Cluster of {@link CLUSTER_MASTERS} masters (fresh cluster and
   * coordinator): at the single-Redis headline, then lower if it fails; empty when skipped.
   */
  cluster: StepResult[];
  /** The largest count that passed on the cluster, `null` when none did (or it was skipped). */
  clusterSustainedAt30s: number | null;
  /**
   * The headline: the largest count that passed a direct 30 s run; without any direct run (time
   * budget), the equivalent found at the short interval; `null` when direct runs all failed.
   */
  sustainedAt30s: number | null;
  sustainedAt30sConfirmed: boolean;
  lowestDirectFailure: number | null;
  stoppedBecause: string;
}

/** The coordinator's Redis in a session: one server or a cluster, seen the same way. */
interface SessionRedis {
  topology: RedisTopology;
  /** How the coordinator reaches it (`REDIS_URL` or `REDIS_CLUSTER_NODES`), and the variable it must not see. */
  env: Record<string, string>;
  unset: string;
  /** Commands (heartbeats, backlog counts). */
  client: Redis | Cluster;
  /** A new connection for a BullMQ queue or worker. */
  connect(): Redis | Cluster;
  /** Every server (the cluster's masters), each with a direct connection for INFO. */
  servers: BenchRedis[];
  stop(): Promise<void>;
}

async function startSessionRedis(topology: RedisTopology, cpu: number | undefined): Promise<SessionRedis> {
  const options = { aof: AOF, ...(cpu !== undefined ? { cpu } : {}) };
  if (topology === 'single') {
    const redis = await startRedis(options);
    return { topology, env: { REDIS_URL: redis.url }, unset: 'REDIS_CLUSTER_NODES', client: redis.client, connect: () => redis.connect(), servers: [redis], stop: () => redis.stop() };
  }
  const cluster = await startRedisCluster(CLUSTER_MASTERS, options);
  return { topology, env: { REDIS_CLUSTER_NODES: cluster.nodes }, unset: 'REDIS_URL', client: cluster.client, connect: () => cluster.connect(), servers: cluster.masters, stop: () => cluster.stop() };
}

const nodeName = (server: BenchRedis): string => `127.0.0.1:${server.port}`;

interface LagSample {
  scheduledAt: number;
  timestamp: number;
}

/**
 * A coordinator under load: its own Redis (AOF on, noeviction, as in production), the coordinator
 * process pinned to the client core, and per region a BullMQ worker in this process standing in
 * for the agents, answering every check job at once with a schema-valid result (so the agents'
 * probing is not measured, but the coordinator's result intake and round finalization are).
 */
export class CoordinatorSession {
  private readonly monitorIds: string[] = [];
  private samples: LagSample[] = [];
  private readonly workers: Worker<CheckJob>[] = [];
  private readonly queues: Queue[] = [];
  private beat: NodeJS.Timeout | undefined;
  private createErrors = 0;
  private firstCreateError: string | undefined;

  private constructor(
    readonly redis: SessionRedis,
    readonly coordinator: Managed,
    private readonly pool: Pool,
    private readonly token: string,
    readonly regions: string[],
    readonly bootedAt: number,
    private readonly roundsQueues: Queue[],
  ) {}

  /** `env`: more environment for the coordinator (e.g. `ROLLUPS: 'off'`). */
  static async start(placement: Placement, regionCount: number, topology: RedisTopology = 'single', env: Record<string, string> = {}): Promise<CoordinatorSession> {
    const redis = await startSessionRedis(topology, placement.infra);
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const coordinator = startProcess({
      name: 'coordinator',
      command: process.execPath,
      args: [COORDINATOR_MAIN],
      cwd: REPO_ROOT,
      env: {
        ...redis.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_TOKEN: token,
        SECRETS_KEY: randomBytes(32).toString('base64'),
        MIN_INTERVAL_SECONDS: '1',
        LOG_LEVEL: 'warn',
        // Thousands of monitors are created and deleted through one token: not what the rate limits are for.
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_PER_MINUTE_PER_ADDRESS: '0',
        // Rollups on unless the caller says otherwise, whatever the bench's own environment says.
        ROLLUPS: 'on',
        ...env,
      },
      unset: ['ROUND_GRACE_MS', 'RESULT_HISTORY_MAX', 'RESULT_HISTORY_DAYS', 'NODE_OPTIONS', redis.unset],
      ...(placement.client !== undefined ? { cpu: placement.client } : {}),
    });
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 16 });
    let exited: number | string | undefined;
    void coordinator.exited.then((code) => (exited = code));
    const up = await waitFor(
      'the coordinator to answer /health',
      async () => {
        if (exited !== undefined) return 'exited';
        const response = await pool.request({ path: '/health', method: 'GET' });
        await response.body.dump();
        return 'up';
      },
      60_000,
      100,
    ).catch((error: unknown) => (error as Error).message);
    if (up !== 'up') {
      await pool.close();
      throw new Error(`coordinator did not start (${exited ?? up}):\n${logTail(coordinator)}`);
    }
    const regions = Array.from({ length: regionCount }, (_, i) => benchRegion(String.fromCharCode(97 + i)));
    // One rounds queue per state shard (the coordinator's key layout in libs/contract).
    const roundsQueues = Array.from({ length: STATE_SHARDS }, (_, shard) => new Queue(ROUNDS_QUEUE, { connection: redis.client, prefix: shardPrefix(shard) }));
    const session = new CoordinatorSession(redis, coordinator, pool, token, regions, Date.now(), roundsQueues);
    session.queues.push(...roundsQueues);
    session.startFakeAgents();
    return session;
  }

  private startFakeAgents(): void {
    // The same result for every check but the ids and times; validated once against the contract.
    checkResultSchema.parse(fakeResult({ monitorId: 'mon_aaaaaaaaaaaaaaaaaaaa', roundId: 'r', region: this.regions[0] ?? 'a' }));
    for (const region of this.regions) {
      const prefix = regionPrefix(region);
      const results = new Queue<CheckResult>(RESULT_QUEUE, { connection: this.redis.connect(), prefix });
      this.queues.push(results);
      const worker = new Worker<CheckJob>(
        CHECK_QUEUE,
        async (job) => {
          this.samples.push({ scheduledAt: job.data.scheduledAt, timestamp: job.timestamp });
          await results.add(RESULT_JOB_NAME, fakeResult(job.data), { ...RESULT_JOB_OPTIONS, jobId: checkJobIdFor(job.data.roundId, region) });
        },
        { connection: this.redis.connect(), prefix, concurrency: 32 },
      );
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
    const beat = (): void => {
      // One transaction per region: a region's keys share a slot, different regions may not.
      for (const region of this.regions) {
        const id = `bench-fake-${region}`;
        void this.redis.client
          .multi()
          .zadd(agentsKey(region), Date.now(), id)
          .hset(agentKey(region, id), { region, agentId: id, version: 'bench', host: 'bench', pid: process.pid, startedAt: this.bootedAt, inFlight: 0, concurrency: 32, lastBeat: Date.now() })
          .pexpire(agentKey(region, id), 30_000)
          .exec()
          .catch(() => undefined);
      }
    };
    beat();
    this.beat = setInterval(beat, 2_000);
  }

  get monitorCount(): number {
    return this.monitorIds.length;
  }

  /** Ids of the monitors created so far. */
  get monitors(): readonly string[] {
    return this.monitorIds;
  }

  /** Creates `count` monitors through the API, spread evenly over `spreadMs` so their phases spread over the interval. */
  async createMonitors(count: number, intervalSeconds: number, spreadMs: number): Promise<number> {
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const due = started + (i * spreadMs) / count;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        await this.createOne(intervalSeconds);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    if (this.createErrors > 0) throw new Error(`${this.createErrors} monitor creations failed; first: ${this.firstCreateError ?? '?'}`);
    return (performance.now() - started) / 1_000;
  }

  private async createOne(intervalSeconds: number): Promise<void> {
    const n = this.monitorIds.length + this.createErrors;
    const body = JSON.stringify({
      name: `bench ${n}`,
      url: `http://127.0.0.2:9/health/${n}`,
      regions: this.regions,
      intervalSeconds,
      cacheBypass: false,
    });
    try {
      const response = await this.pool.request({
        path: '/v1/monitors',
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`POST /v1/monitors answered ${response.statusCode}: ${text.slice(0, 300)}`);
      const parsed: unknown = JSON.parse(text);
      const id = typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string' ? parsed.id : undefined;
      if (id === undefined) throw new Error(`POST /v1/monitors answered without an id: ${text.slice(0, 300)}`);
      this.monitorIds.push(id);
    } catch (error) {
      this.createErrors += 1;
      this.firstCreateError ??= (error as Error).message;
    }
  }

  /** Deletes the `count` newest monitors. */
  async deleteMonitors(count: number): Promise<void> {
    const ids = this.monitorIds.splice(this.monitorIds.length - count, count);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < ids.length; i = next++) {
        const response = await this.pool.request({ path: `/v1/monitors/${ids[i]}`, method: 'DELETE', headers: { authorization: `Bearer ${this.token}` } });
        await response.body.dump();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  }

  async coordinatorStats(): Promise<StepResult['coordinatorStats']> {
    try {
      const response = await this.pool.request({ path: '/v1/stats', method: 'GET', headers: { authorization: `Bearer ${this.token}` } });
      const text = await response.body.text();
      if (response.statusCode !== 200) return null;
      const parsed = JSON.parse(text) as { rounds?: { started?: number; skippedLate?: number; startLagMs?: { p50?: number | null; p95?: number | null; max?: number | null } } };
      const lag = parsed.rounds?.startLagMs;
      return { p50: lag?.p50 ?? null, p95: lag?.p95 ?? null, max: lag?.max ?? null, skippedLate: parsed.rounds?.skippedLate ?? 0, started: parsed.rounds?.started ?? 0 };
    } catch {
      return null;
    }
  }

  /** INFO commandstats of every server: calls and µs per command so far, by server. */
  async commandStats(): Promise<Map<string, Map<string, { calls: number; usec: number }>>> {
    const byNode = new Map<string, Map<string, { calls: number; usec: number }>>();
    for (const server of this.redis.servers) {
      const stats = new Map<string, { calls: number; usec: number }>();
      try {
        const info = await server.client.info('commandstats');
        for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
          stats.set(match[1] ?? '?', { calls: Number(match[2]), usec: Number(match[3]) });
        }
      } catch {
        // Not fatal: the figure is left out.
      }
      byNode.set(nodeName(server), stats);
    }
    return byNode;
  }

  /** INFO stats total_forks, summed over the servers. */
  async forks(): Promise<number | null> {
    try {
      let total = 0;
      for (const server of this.redis.servers) {
        const match = /^total_forks:(\d+)/m.exec(await server.client.info('stats'));
        if (!match) return null;
        total += Number(match[1]);
      }
      return total;
    } catch {
      return null;
    }
  }

  async roundsBacklog(): Promise<number> {
    let total = 0;
    for (const queue of this.roundsQueues) {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
      total += Object.values(counts).reduce((sum, n) => sum + n, 0);
    }
    return total;
  }

  async consumerBacklog(): Promise<number> {
    let total = 0;
    for (const region of this.regions) total += await this.redis.client.llen(`${regionPrefix(region)}:${CHECK_QUEUE}:wait`);
    return total;
  }

  /** Samples so far, and a fresh start. */
  takeSamples(): LagSample[] {
    const taken = this.samples;
    this.samples = [];
    return taken;
  }

  get pendingSamples(): readonly LagSample[] {
    return this.samples;
  }

  async stop(): Promise<void> {
    clearInterval(this.beat);
    await Promise.allSettled(this.workers.map((worker) => worker.close(true)));
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
    await this.pool.close().catch(() => undefined);
    await this.coordinator.stop(15_000);
    await this.redis.stop();
  }

  /**
   * One step: brings the monitor count to `monitors` (at `intervalSeconds`), lets it settle,
   * then records every check job whose round was scheduled within `windowIntervals` intervals.
   * Each monitor has exactly `windowIntervals` rounds in such a window, so a round that never
   * shows up (skipped as late, or later than 5 s past the window) is counted as missing.
   */
  async step(equivalent: number, intervalSeconds: number, windowIntervals: number, log: (line: string) => void): Promise<StepResult> {
    const monitors = Math.max(1, Math.round((equivalent * intervalSeconds) / 30));
    const intervalMs = intervalSeconds * 1_000;
    let createSeconds = 0;
    if (monitors > this.monitorCount) {
      createSeconds = await this.createMonitors(monitors - this.monitorCount, intervalSeconds, intervalMs);
    } else if (monitors < this.monitorCount) {
      await this.deleteMonitors(this.monitorCount - monitors);
      await waitFor('the rounds backlog to drain', async () => ((await this.roundsBacklog()) < 50 ? true : undefined), 60_000, 200).catch(() => undefined);
      await sleep(intervalMs);
    }
    // Creating monitors costs the coordinator too: let the backlog it left drain before measuring.
    const drainLimit = Math.max(50, Math.round(monitors * 0.02));
    const settleStart = Date.now();
    await waitFor('the rounds backlog to settle', async () => ((await this.roundsBacklog()) <= drainLimit ? true : undefined), intervalMs + 5_000, 250).catch(
      () => undefined,
    );
    const settleSeconds = round((Date.now() - settleStart) / 1_000, 1);
    const quiet = await waitForQuietMachine(10_000, 20, log);
    const statsBefore = await this.coordinatorStats();
    this.takeSamples();
    const windowStart = Date.now();
    const windowEnd = windowStart + windowIntervals * intervalMs;
    const pids: Record<string, number> = { coordinator: this.coordinator.pid, bench: process.pid };
    for (const server of this.redis.servers) pids[`redis ${nodeName(server)}`] = server.process.pid;
    const cpuFrom = cpuSnapshot(pids);
    const commandsFrom = await this.commandStats();
    const forksFrom = await this.forks();
    await sleep(windowEnd - Date.now());
    const cpuTo = cpuSnapshot(pids);
    const commandsTo = await this.commandStats();
    const forksTo = await this.forks();
    // Per command over every server, and per server over every command.
    const byCommand = new Map<string, { calls: number; usec: number }>();
    const callsByNode: { node: string; calls: number }[] = [];
    for (const [node, to] of commandsTo) {
      const from = commandsFrom.get(node) ?? new Map<string, { calls: number; usec: number }>();
      let nodeCalls = 0;
      for (const [command, end] of to) {
        const start = from.get(command) ?? { calls: 0, usec: 0 };
        if (end.calls <= start.calls) continue;
        const sum = byCommand.get(command) ?? { calls: 0, usec: 0 };
        sum.calls += end.calls - start.calls;
        sum.usec += end.usec - start.usec;
        byCommand.set(command, sum);
        nodeCalls += end.calls - start.calls;
      }
      callsByNode.push({ node, calls: nodeCalls });
    }
    const commandDelta = [...byCommand.entries()].map(([command, c]) => ({ command, ...c }));
    const commandUsec = commandDelta.reduce((sum, c) => sum + c.usec, 0);
    const commandCalls = commandDelta.reduce((sum, c) => sum + c.calls, 0);
    const roundsInWindow = monitors * windowIntervals;
    const [consumerBacklog, roundsBacklog] = await Promise.all([this.consumerBacklog(), this.roundsBacklog()]);
    const expectedChecks = monitors * windowIntervals * this.regions.length;
    const inWindow = (): LagSample[] => this.pendingSamples.filter((s) => s.scheduledAt >= windowStart && s.scheduledAt < windowEnd);
    const stragglersUntil = windowEnd + 5_000;
    while (inWindow().length < expectedChecks && Date.now() < stragglersUntil) await sleep(100);
    const samples = inWindow();
    const statsAfter = await this.coordinatorStats();
    const roundsStarted = statsAfter && statsBefore ? statsAfter.started - statsBefore.started : 0;
    const lagMs = distribution(samples.map((s) => s.timestamp - s.scheduledAt));
    const missingChecks = Math.max(0, expectedChecks - samples.length);
    const skippedLate = statsAfter && statsBefore ? statsAfter.skippedLate - statsBefore.skippedLate : 0;
    const failReasons: string[] = [];
    if ((lagMs.p95 ?? Infinity) >= LAG_LIMIT_MS) failReasons.push(`p95 lag ${lagMs.p95 ?? 'n/a'} ms`);
    if ((lagMs.max ?? Infinity) >= LAG_LIMIT_MS) failReasons.push(`max lag ${lagMs.max ?? 'n/a'} ms`);
    if (missingChecks > 0) failReasons.push(`${missingChecks} check jobs missing (late > 5 s or never started)`);
    if (skippedLate > 0) failReasons.push(`${skippedLate} rounds skipped as late`);
    const bySecond: number[][] = Array.from({ length: Math.ceil((windowEnd - windowStart) / 1_000) }, () => []);
    for (const sample of samples) bySecond[Math.floor((sample.scheduledAt - windowStart) / 1_000)]?.push(sample.timestamp - sample.scheduledAt);
    let reconcilePassesInWindow = 0;
    for (let at = this.bootedAt + RECONCILE_EVERY_MS; at < windowEnd; at += RECONCILE_EVERY_MS) if (at >= windowStart - 5_000) reconcilePassesInWindow++;
    const cpu = cpuPercent(cpuFrom, cpuTo);
    // Redis CPU: every server together (one, or the cluster's masters).
    cpu['redis'] = round(
      Object.entries(cpu)
        .filter(([name]) => name.startsWith('redis '))
        .reduce((sum, [, percent]) => sum + percent, 0),
      1,
    );
    const result: StepResult = {
      topology: this.redis.topology,
      equivalentMonitorsAt30s: equivalent,
      monitors,
      intervalSeconds,
      regions: this.regions.length,
      roundsPerSecond: round(monitors / intervalSeconds, 1),
      checkJobsPerSecond: round((monitors * this.regions.length) / intervalSeconds, 1),
      createSeconds: round(createSeconds, 1),
      windowSeconds: (windowEnd - windowStart) / 1_000,
      expectedChecks,
      observedChecks: samples.length,
      missingChecks,
      lagMs,
      coordinatorStats: statsAfter,
      cpuPercent: cpu,
      consumerBacklog,
      roundsBacklog,
      reconcilePassesInWindow,
      windowStartSinceBootSeconds: round((windowStart - this.bootedAt) / 1_000, 1),
      p95LagBySecondMs: bySecond.map((lags) => distribution(lags).p95),
      settleSeconds,
      othersBeforeWindowPercent: quiet.othersPercent,
      redisForks: forksFrom !== null && forksTo !== null ? forksTo - forksFrom : null,
      redisCommandMsPerRound: commandsTo.size ? round(commandUsec / 1_000 / roundsInWindow, 3) : null,
      redisCommandsPerRound: roundsStarted > 0 ? round(commandCalls / roundsStarted, 1) : null,
      redisCommandsByNode: callsByNode.map(({ node, calls }) => ({ node, calls, sharePercent: round((100 * calls) / Math.max(1, commandCalls), 1) })),
      redisTopCommands: commandDelta
        .sort((a, b) => b.usec - a.usec)
        .slice(0, 6)
        .map((c) => ({ command: c.command, calls: c.calls, usecPerCall: round(c.usec / c.calls, 1), sharePercent: round((100 * c.usec) / Math.max(1, commandUsec), 1) })),
      pass: failReasons.length === 0,
      failReasons,
    };
    log(
      `  ${String(equivalent).padStart(6)} @30s ≙ ${monitors} monitors @${intervalSeconds}s (${result.checkJobsPerSecond} checks/s): ` +
        `lag p50 ${lagMs.p50 ?? 'n/a'} p95 ${lagMs.p95 ?? 'n/a'} max ${lagMs.max ?? 'n/a'} ms, ${samples.length}/${expectedChecks} checks, ` +
        `${result.redisCommandsPerRound ?? 'n/a'} redis commands/round (${result.redisCommandsByNode.map((n) => `${n.node} ${n.sharePercent}%`).join(', ')}), ` +
        `cpu ${JSON.stringify(result.cpuPercent)}${failReasons.length ? ` FAIL: ${failReasons.join('; ')}` : ' ok'}`,
    );
    return result;
  }
}

function fakeResult(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>): CheckResult {
  const now = Date.now();
  return {
    v: CONTRACT_VERSION,
    monitorId: job.monitorId,
    roundId: job.roundId,
    region: job.region,
    agentId: `bench-fake-${job.region}`,
    agentVersion: 'bench',
    startedAt: now - 3,
    finishedAt: now,
    verdict: {
      status: 'up',
      causes: [],
      expectations: [{ kind: 'status', passed: true, description: 'status in 200-299', expected: '200-299', actual: '200' }],
      evidence: { httpStatus: 200, finalUrl: 'http://127.0.0.2:9/health', totalMs: 3, redirects: 0, cache: { hit: false, signals: [] } },
    },
    observation: { url: 'http://127.0.0.2:9/health', finalUrl: 'http://127.0.0.2:9/health', timings: { total: 3 }, headers: {} },
  };
}

/** Whether the coordinator has been built. */
export function coordinatorBuilt(): boolean {
  return existsSync(COORDINATOR_MAIN);
}

/**
 * Adaptive search: doubles the load (×4 while the lag is tiny) until a step fails, then tries
 * once between the last passing and the first failing count; then, time allowing, runs the
 * found count directly at intervalSeconds 30 on a fresh Redis and coordinator.
 */
export async function coordinatorCapacity(options: CapacityOptions): Promise<CapacityResult> {
  const { log } = options;
  const deadline = Date.now() + options.budgetSeconds * 1_000;
  // Time kept for a direct 30 s run (start, creation, settling, two intervals, stragglers, stop).
  const directCost = (equivalent: number): number => (3 + Math.max(30, equivalent / 300) + 10 + 60 + 5 + 5) * 1_000;
  const searchDeadline = (next: number): number => deadline - (options.confirm ? directCost(DIRECT_FRACTION * Math.max(next, lastPass ?? 0)) : 0);
  const steps: StepResult[] = [];
  let lastPass: number | null = null;
  let refinements = 0;
  const maxRefinements = 2;
  let firstFail: number | null = null;
  let stoppedBecause = 'search complete';
  const stepCost = (equivalent: number, have: number): number => {
    const monitors = (equivalent * options.stepIntervalSeconds) / 30;
    const creating = Math.max(0, monitors - have);
    return (Math.max(options.stepIntervalSeconds, creating / 400) + 3 + options.windowIntervals * options.stepIntervalSeconds + 3) * 1_000;
  };

  log(
    `coordinator: ${options.regions} regions, steps at intervalSeconds ${options.stepIntervalSeconds} (monitors = equivalent × ${options.stepIntervalSeconds}/30), ` +
      `${options.windowIntervals} intervals per window, budget ${Math.round(options.budgetSeconds)} s`,
  );
  let session = await CoordinatorSession.start(options.placement, options.regions, 'single', options.coordinatorEnv);
  let equivalent = options.startEquivalent;
  /** Next step between the last pass and the first fail, on a fresh session; `false` when done. */
  const refine = async (): Promise<boolean> => {
    if (lastPass === null || firstFail === null || refinements >= maxRefinements) return false;
    const middle = niceRound(Math.sqrt(lastPass * firstFail));
    if (middle <= lastPass * 1.15 || middle >= firstFail) return false;
    if (Date.now() + stepCost(middle, 0) + 10_000 > searchDeadline(middle)) {
      stoppedBecause = `time budget reached before refining at ${middle}`;
      return false;
    }
    // An overloaded coordinator leaves a backlog of late rounds behind: a refinement starts over
    // on a fresh Redis and coordinator rather than inherit it.
    refinements += 1;
    equivalent = middle;
    await session.stop();
    log(`  refining at ${middle} on a fresh Redis and coordinator`);
    session = await CoordinatorSession.start(options.placement, options.regions, 'single', options.coordinatorEnv);
    return true;
  };
  try {
    for (;;) {
      if (Date.now() + stepCost(equivalent, session.monitorCount) > searchDeadline(equivalent)) {
        stoppedBecause = `time budget reached before ${equivalent}`;
        break;
      }
      const result = await session.step(equivalent, options.stepIntervalSeconds, options.windowIntervals, log);
      steps.push(result);
      if (result.pass) {
        lastPass = Math.max(lastPass ?? 0, equivalent);
        if (firstFail !== null) {
          // Refining between a pass and a fail.
          if (!(await refine())) break;
          continue;
        }
        // Big strides while the load is trivial, then doubling.
        const nextEquivalent = equivalent * (equivalent < 4_000 ? 4 : 2);
        if (nextEquivalent > options.maxEquivalent) {
          stoppedBecause = `reached the maximum tried (${options.maxEquivalent})`;
          break;
        }
        equivalent = nextEquivalent;
      } else {
        firstFail = Math.min(firstFail ?? Infinity, equivalent);
        if (lastPass === null) break;
        if (!(await refine())) break;
      }
    }
  } finally {
    await session.stop();
  }

  // Direct runs at intervalSeconds 30, each on a fresh Redis and coordinator, over two intervals
  // (60 s: exactly one schedule-reconcile pass, whose cost grows with the number of monitors and
  // which the short-interval steps under-represent 6×). The first at DIRECT_FRACTION of the
  // count found, leaving Redis headroom for that pass; a second, lower, one if it fails and time allows.
  const confirmations = await directRuns(options, 'single', lastPass === null ? null : niceRound(lastPass * DIRECT_FRACTION), () => deadline + 20_000, directCost);
  const directPass = largestPass(confirmations);
  // The cluster: the same count (what one Redis sustained, else the short-interval figure), then
  // lower if it fails. Outside this part's budget: it is what the issue asks to compare.
  const clusterStart = directPass ?? confirmations[confirmations.length - 1]?.equivalentMonitorsAt30s ?? lastPass;
  const cluster = options.cluster ? await directRuns(options, 'cluster', clusterStart, () => Infinity, directCost) : [];
  return {
    consumer: 'fake agents: one BullMQ Worker per region in the bench process (concurrency 32) answering each check job at once with a schema-valid CheckResult',
    steps,
    sustainedEquivalentAt30s: lastPass,
    firstFailingEquivalentAt30s: firstFail,
    confirmations,
    cluster,
    clusterSustainedAt30s: largestPass(cluster),
    sustainedAt30s: confirmations.length === 0 ? lastPass : directPass,
    sustainedAt30sConfirmed: directPass !== null,
    lowestDirectFailure: confirmations.filter((c) => !c.pass).reduce<number | null>((low, c) => Math.min(low ?? Infinity, c.equivalentMonitorsAt30s), null),
    stoppedBecause,
  };
}

function largestPass(runs: readonly StepResult[]): number | null {
  const passed = runs.filter((run) => run.pass).map((run) => run.equivalentMonitorsAt30s);
  return passed.length ? Math.max(...passed) : null;
}

/**
 * Direct runs at intervalSeconds 30, each on a fresh Redis (or cluster) and coordinator, over two
 * intervals (60 s: exactly one schedule-reconcile pass, whose cost grows with the number of
 * monitors and which the short-interval steps under-represent 6×): `candidate`, then
 * {@link DIRECT_FRACTION} of it if that fails and there is time before `until()`.
 */
async function directRuns(
  options: CapacityOptions,
  topology: RedisTopology,
  first: number | null,
  until: () => number,
  cost: (equivalent: number) => number,
): Promise<StepResult[]> {
  const { log } = options;
  const runs: StepResult[] = [];
  let candidate = first;
  while ((topology === 'cluster' || options.confirm) && candidate !== null && runs.length < 2) {
    if (Date.now() + cost(candidate) > until()) {
      log(`no time left for a direct 30 s run of ${candidate} (${topology})`);
      break;
    }
    const where = topology === 'single' ? 'fresh Redis and coordinator' : `fresh Redis Cluster of ${CLUSTER_MASTERS} masters and coordinator`;
    log(`direct run: ${candidate} monitors at intervalSeconds 30, 60 s window (${where})`);
    const fresh = await CoordinatorSession.start(options.placement, options.regions, topology, options.coordinatorEnv);
    try {
      runs.push(await fresh.step(candidate, 30, 2, log));
    } finally {
      await fresh.stop();
    }
    if (runs[runs.length - 1]?.pass) break;
    candidate = niceRound(candidate * DIRECT_FRACTION);
  }
  return runs;
}

/** Rounds to two significant digits (e.g. 5657 → 5700). */
function niceRound(value: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}
