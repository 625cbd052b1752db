import { advanceIncident, initialIncidentState, reconcile, type Classification, type MonitorIncidentState, type RegionVerdict } from '@crosscheck/checks';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './agent-process';
import type { Placement } from './agent-throughput';
import { CoordinatorSession, type StepResult } from './coordinator-capacity';
import { startRedis } from './redis-server';
import { round } from './stats';

/**
 * Part `rollups`: what the uptime history costs. (a) Redis memory per monitor after a full
 * retention, (b) the commit script's Redis time and commands per round with rollups and without,
 * (c) the coordinator under the same load with `ROLLUPS=on` and `ROLLUPS=off`, side by side.
 *
 * (a) and (b) load the coordinator's own build (`apps/coordinator/dist`): the rollup Lua and its
 * encoding, the round's rollup, `planTransition` and `IncidentsRepository` (the real commit script).
 */

/** The coordinator's rollup settings (`RollupSettings`). */
interface RollupSettings {
  enabled: boolean;
  minuteRetentionMs: number;
  hourRetentionMs: number;
  dayRetentionMs: number;
}

/** A rollup bucket as the coordinator's build makes it: opaque here. */
type Bucket = object;

/** What a region reported, as the coordinator's `RegionReport` (and reconcile's `RegionVerdict`). */
type Report = RegionVerdict & { agentId: string | null; agentVersion: string | null; checkedAt: string | null };

interface Summary {
  roundId: string;
  monitorId: string;
  scheduledAt: number;
  deadline: number;
  finalizedAt: number;
  finalizedBy: 'all_answered' | 'deadline';
  complete: boolean;
  regions: Record<string, Report>;
}

interface CommitRepository {
  readState(monitorId: string): Promise<{ state: MonitorIncidentState | undefined; revision: number }>;
  commit(monitorId: string, roundId: string, revision: number, plan: object): Promise<{ outcome: string; revision: number }>;
}

/** The parts of the coordinator's build this part drives. */
interface CoordinatorBuild {
  ROLLUP_LUA: string;
  rollupTiersLua: string;
  rollupTierArgs(settings: RollupSettings): (string | number)[];
  roundRollup(input: { regions: Record<string, Report>; classification: Classification; intervalSeconds: number; incidentOpen: boolean }): Bucket;
  emptyBucket(): Bucket;
  addBucket(into: Bucket, from: Bucket): void;
  encodeDelta(bucket: Bucket): string;
  coordinatorKeys: { rollupOpen(monitorId: string): string; rollupPrefix(monitorId: string): string };
  DEFAULT_ROLLUP_SETTINGS: RollupSettings;
  IncidentsRepository: new (redis: Redis, config: { rollups: RollupSettings }) => CommitRepository;
  planTransition(input: object): object;
}

async function loadBuild(): Promise<CoordinatorBuild> {
  const dist = join(REPO_ROOT, 'apps', 'coordinator', 'dist');
  const load = async (path: string): Promise<Record<string, unknown>> => (await import(pathToFileURL(join(dist, path)).href)) as Record<string, unknown>;
  const modules = await Promise.all(
    [
      'rollups/rollup-merge.lua.js',
      'rollups/round-rollup.js',
      'rollups/rollup-bucket.js',
      'rollups/rollup-encoding.js',
      'redis/coordinator-keys.js',
      'config/coordinator-config.js',
      'incidents/incidents.repository.js',
      'incidents/transition-plan.js',
    ].map(load),
  );
  const build = Object.assign({}, ...modules) as CoordinatorBuild;
  for (const name of ['ROLLUP_LUA', 'rollupTierArgs', 'roundRollup', 'addBucket', 'encodeDelta', 'coordinatorKeys', 'IncidentsRepository', 'planTransition'] as const) {
    if (build[name] === undefined) throw new Error(`the coordinator's build (${dist}) exports no ${name}: rebuild it`);
  }
  return build;
}

export interface RollupsOptions {
  placement: Placement;
  log: (line: string) => void;
  /** Monitors at 30 s equivalent for the side-by-side coordinator runs. */
  equivalentAt30s: number;
  /** Coordinator runs per mode (alternating on/off). */
  pairs: number;
}

export interface RollupMemory {
  regions: number;
  intervalSeconds: number;
  retention: { minuteHours: number; hourDays: number; dayDays: number };
  /** How the keys were written. */
  fill: string;
  roundsSimulated: number;
  mergeCalls: number;
  fillSeconds: number;
  tiers: { tier: 'minute' | 'hour' | 'day' | 'open'; keys: number; buckets: number; bytes: number; bytesPerBucket: number | null }[];
  bytesPerMonitor: number;
  /** Mean length of a kept bucket's line in its chunk, per tier (its share of the Redis bytes). */
  recordBytesPerBucket: Record<'minute' | 'hour' | 'day', number>;
}

export interface CommitCost {
  roundsPerMode: number;
  on: CommitSample;
  off: CommitSample;
  /** Extra Redis time per round of the commit script with rollups (µs). */
  extraUsecPerRound: number;
  extraCommandsPerRound: number;
}

interface CommitSample {
  /** The commit script's EVALSHA time per call (µs, inner commands included). */
  scriptUsecPerRound: number;
  /** Commands the script runs inside (HSET, HMGET, ZADD...) per round. */
  innerCommandsPerRound: number;
  /** One round as this process drives it (µs, median of blocks): read the state, reconcile, plan, commit. */
  clientUsecPerRound: number;
}

export interface CapacityPair {
  mode: 'on' | 'off';
  step: StepResult;
  /** CPU per round (µs) of Redis, of the coordinator, and of what runs on core 1 (Redis, and the bench with the fake agents: the box's bottleneck). */
  redisCpuUsPerRound: number;
  coordinatorCpuUsPerRound: number;
  core1CpuUsPerRound: number;
}

export interface RollupsResult {
  memory: RollupMemory;
  commit: CommitCost;
  capacity: {
    equivalentAt30s: number;
    runs: CapacityPair[];
    /** Medians per mode. */
    on: { redisCpuUsPerRound: number; coordinatorCpuUsPerRound: number; core1CpuUsPerRound: number; redisCommandsPerRound: number | null; passed: number };
    off: { redisCpuUsPerRound: number; coordinatorCpuUsPerRound: number; core1CpuUsPerRound: number; redisCommandsPerRound: number | null; passed: number };
    /**
     * Capacity with rollups ÷ without, as the bottleneck's cost per round gives it: core 1's CPU per
     * round off ÷ on (the box's capacity is bound by core 1), and Redis alone (were Redis the only bound).
     */
    capacityRatioCore1: number;
    capacityRatioRedis: number;
    /**
     * The same from (b), which noise does not blur: Redis CPU per round without rollups ÷ that plus
     * the commit script's extra time with them (were Redis the only bound).
     */
    capacityRatioFromScriptCost: number;
  };
}

const REGIONS = ['bench-a', 'bench-b', 'bench-c'];
const INTERVAL_SECONDS = 30;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A small deterministic PRNG (mulberry32): the same simulated history on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Rounds of a monitor as a production one sees them: three regions with lognormal latencies around
 * 60, 140 and 260 ms (σ 0.3), now and then a slow check (degraded), a region missing, a regional or
 * a full outage (502 pages, fast) with an incident open.
 */
function roundSimulator(build: CoordinatorBuild): (at: number) => { bucket: Bucket; regions: Record<string, Report>; classification: Classification } {
  const random = prng(11);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const medians = [60, 140, 260];
  const evidence = (httpStatus: number, totalMs: number) => ({ httpStatus, finalUrl: 'https://shop.example/health', totalMs, redirects: 0, cache: { hit: false, signals: [] } });
  const agent = { agentId: 'bench', agentVersion: 'bench', checkedAt: null };
  return () => {
    const roll = random();
    const outage = roll < 0.001;
    const regions: Record<string, Report> = {};
    REGIONS.forEach((region, i) => {
      const r = random();
      const totalMs = Math.round(medians[i]! * Math.exp(0.3 * gauss()));
      if (!outage && r < 0.002) regions[region] = { status: 'missing', causes: [], evidence: null, agentId: null, agentVersion: null, checkedAt: null };
      else if (outage || (i === 2 && r < 0.003)) {
        regions[region] = { status: 'down', causes: [{ code: 'lb_error_page', severity: 'down', message: "nginx's own 502 page", evidence: { vendor: 'nginx' } }], evidence: { ...evidence(502, 20), errorPageVendor: 'nginx' }, ...agent };
      } else if (r < 0.01) {
        regions[region] = { status: 'degraded', causes: [{ code: 'slow', severity: 'degraded', message: 'slow', evidence: { totalMs: totalMs * 10 } }], evidence: evidence(200, totalMs * 10), ...agent };
      } else regions[region] = { status: 'up', causes: [], evidence: evidence(200, totalMs), ...agent };
    });
    const statuses = Object.values(regions).map((report) => report.status);
    const classification: Classification = statuses.every((s) => s === 'down')
      ? 'outage'
      : statuses.includes('down')
        ? 'regional_outage'
        : statuses.includes('degraded')
          ? 'degraded'
          : statuses.every((s) => s === 'missing')
            ? 'unknown'
            : 'operational';
    return { bucket: build.roundRollup({ regions, classification, intervalSeconds: INTERVAL_SECONDS, incidentOpen: outage }), regions, classification };
  };
}

function monitorIdOf(random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `mon_${Array.from({ length: 20 }, () => alphabet[Math.floor(random() * 32)]).join('')}`;
}

/**
 * (a): one monitor's rollups after a full retention, written by the coordinator's own rollup Lua
 * (the function the commit script calls), on a bench-owned Redis. Rounds are simulated for the
 * whole 400 days (3 regions, 30 s); to keep it to a few thousand script calls, each call merges the
 * sum of a period's rounds: a day per call older than the hour tier's retention, an hour per call
 * older than the minute tier's, a minute per call after. Every tier ends holding exactly what
 * 1.15 million single-round commits would leave (buckets add; a chunk past its retention is deleted
 * as it is written, as it would have expired).
 */
async function rollupMemory(build: CoordinatorBuild, redis: Redis, log: (line: string) => void): Promise<RollupMemory> {
  const settings = build.DEFAULT_ROLLUP_SETTINGS;
  const started = performance.now();
  const script = `${build.ROLLUP_LUA}
${build.rollupTiersLua}
rollupRound(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3], rollupTiers(4))
return 1`;
  const sha = (await redis.script('LOAD', script)) as string;
  const tierArgs = build.rollupTierArgs(settings);
  const monitorId = monitorIdOf(prng(7));
  const openKey = build.coordinatorKeys.rollupOpen(monitorId);
  const prefix = build.coordinatorKeys.rollupPrefix(monitorId);
  const now = Date.now();
  const roundMs = INTERVAL_SECONDS * 1_000;
  const firstDay = Math.floor((now - settings.dayRetentionMs) / DAY_MS) * DAY_MS;
  const hourlyFrom = Math.floor((now - settings.hourRetentionMs - DAY_MS) / DAY_MS) * DAY_MS;
  const minutelyFrom = Math.floor((now - settings.minuteRetentionMs - HOUR_MS) / HOUR_MS) * HOUR_MS;
  const simulate = roundSimulator(build);
  let rounds = 0;
  let calls = 0;
  const periodsOf = (from: number, to: number, size: number): number[] => Array.from({ length: Math.max(0, Math.ceil((to - from) / size)) }, (_, i) => from + i * size);
  const periods = [...periodsOf(firstDay, hourlyFrom, DAY_MS), ...periodsOf(hourlyFrom, minutelyFrom, HOUR_MS), ...periodsOf(minutelyFrom, now, MINUTE_MS)];
  for (let i = 0; i < periods.length; i++) {
    const start = periods[i]!;
    const end = Math.min(periods[i + 1] ?? now, now);
    const bucket = build.emptyBucket();
    for (let at = start; at < end; at += roundMs) {
      build.addBucket(bucket, simulate(at).bucket);
      rounds += 1;
    }
    const body = build.encodeDelta(bucket);
    await redis.evalsha(sha, 1, openKey, prefix, start, body, ...tierArgs);
    calls += 1;
  }
  const fillSeconds = round((performance.now() - started) / 1_000, 1);
  log(`  rollup memory: ${rounds.toLocaleString('en')} rounds simulated, ${calls} merges through the commit's rollup Lua in ${fillSeconds} s`);

  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${openKey}*`, 'COUNT', 1_000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  const tiers: RollupMemory['tiers'] = [];
  const recordBytesPerBucket: RollupMemory['recordBytesPerBucket'] = { minute: 0, hour: 0, day: 0 };
  for (const [tier, field] of [['minute', 'm'], ['hour', 'h'], ['day', 'd'], ['open', '']] as const) {
    // What is open: the hash and the logs of the open minute, hour and day.
    const ofTier = keys.filter((key) => (tier === 'open' ? key === openKey || /log$/.test(key) : key.startsWith(`${prefix}${field}:`)));
    let bytes = 0;
    let buckets = 0;
    let recordBytes = 0;
    for (const key of ofTier) {
      bytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      if (tier === 'open') continue;
      const [, ...records] = ((await redis.get(key)) ?? '').split('\n');
      buckets += records.length;
      recordBytes += records.reduce((sum, record) => sum + record.length + 1, 0);
    }
    tiers.push({ tier, keys: ofTier.length, buckets, bytes, bytesPerBucket: buckets > 0 ? round(bytes / buckets) : null });
    if (tier !== 'open') recordBytesPerBucket[tier] = buckets > 0 ? round(recordBytes / buckets) : 0;
  }
  return {
    regions: REGIONS.length,
    intervalSeconds: INTERVAL_SECONDS,
    retention: { minuteHours: settings.minuteRetentionMs / HOUR_MS, hourDays: settings.hourRetentionMs / DAY_MS, dayDays: settings.dayRetentionMs / DAY_MS },
    fill: 'the commit script\'s rollup Lua (rollupRound), one merge per day older than the hour retention, per hour older than the minute retention, per minute after',
    roundsSimulated: rounds,
    mergeCalls: calls,
    fillSeconds,
    tiers,
    bytesPerMonitor: tiers.reduce((sum, t) => sum + t.bytes, 0),
    recordBytesPerBucket,
  };
}

/** INFO commandstats: calls and µs per command. */
async function commandStats(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1] ?? '?', { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

/**
 * (b): the real commit (`IncidentsRepository.commit`: COMMIT_TRANSITION) of `rounds` simulated
 * rounds of one monitor, with rollups and, on another monitor, without, in alternating blocks on
 * a bench-owned Redis: the script's EVALSHA time per round (inner commands included) and the
 * commands it runs inside. Rounds 30 s apart: a minute bucket closes every second round, an hour
 * bucket every 120th, as in production.
 */
async function commitCost(build: CoordinatorBuild, redis: Redis, roundsPerMode: number, log: (line: string) => void): Promise<CommitCost> {
  const settings = build.DEFAULT_ROLLUP_SETTINGS;
  const random = prng(5);
  const modes = {
    on: { repository: new build.IncidentsRepository(redis, { rollups: settings }), monitorId: monitorIdOf(random), script: 0, inner: 0, client: [] as number[] },
    off: { repository: new build.IncidentsRepository(redis, { rollups: { ...settings, enabled: false } }), monitorId: monitorIdOf(random), script: 0, inner: 0, client: [] as number[] },
  };
  const simulate = roundSimulator(build);
  const block = 200;
  const start = Date.now() - roundsPerMode * INTERVAL_SECONDS * 1_000;
  for (let done = 0; done < roundsPerMode; done += block) {
    for (const mode of done % (2 * block) === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const m = modes[mode];
      const monitor = { id: m.monitorId, name: 'bench', regions: REGIONS, intervalSeconds: INTERVAL_SECONDS, spec: { url: 'https://shop.example/health' } };
      const before = await commandStats(redis);
      const t0 = performance.now();
      for (let i = done; i < Math.min(done + block, roundsPerMode); i++) {
        const scheduledAt = start + i * INTERVAL_SECONDS * 1_000;
        const { regions } = simulate(scheduledAt);
        const roundId = `${m.monitorId}-${scheduledAt}`;
        const summary: Summary = { roundId, monitorId: m.monitorId, scheduledAt, deadline: scheduledAt + 10_000, finalizedAt: scheduledAt + 50, finalizedBy: 'all_answered', complete: true, regions };
        const { state, revision } = await m.repository.readState(m.monitorId);
        const previous = state ?? initialIncidentState(m.monitorId);
        const reconciliation = reconcile({ regions });
        const transition = advanceIncident(previous, { monitorId: m.monitorId, roundId, scheduledAt, reconciliation });
        const plan = build.planTransition({ monitor, summary, reconciliation, previous, transition });
        const { outcome } = await m.repository.commit(m.monitorId, roundId, revision, plan);
        if (outcome !== 'applied') throw new Error(`commit of ${roundId} came to ${outcome}`);
      }
      const elapsed = performance.now() - t0;
      const after = await commandStats(redis);
      const n = Math.min(block, roundsPerMode - done);
      m.client.push((elapsed * 1_000) / n);
      for (const [command, end] of after) {
        const from = before.get(command) ?? { calls: 0, usec: 0 };
        if (command === 'evalsha' || command === 'eval') m.script += end.usec - from.usec;
        else if (command !== 'info') m.inner += end.calls - from.calls;
      }
      // readState's HMGET is the client's, one per round.
      m.inner -= n;
    }
  }
  const sample = (mode: 'on' | 'off'): CommitSample => {
    const m = modes[mode];
    const sorted = [...m.client].sort((a, b) => a - b);
    return {
      scriptUsecPerRound: round(m.script / roundsPerMode, 1),
      innerCommandsPerRound: round(m.inner / roundsPerMode, 2),
      clientUsecPerRound: round(sorted[Math.floor(sorted.length / 2)] ?? 0, 0),
    };
  };
  const on = sample('on');
  const off = sample('off');
  log(`  commit cost: script ${on.scriptUsecPerRound} µs/round with rollups, ${off.scriptUsecPerRound} without; inner commands ${on.innerCommandsPerRound} / ${off.innerCommandsPerRound}`);
  return { roundsPerMode, on, off, extraUsecPerRound: round(on.scriptUsecPerRound - off.scriptUsecPerRound, 1), extraCommandsPerRound: round(on.innerCommandsPerRound - off.innerCommandsPerRound, 2) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * (c): the coordinator capacity machinery's step (fresh Redis and coordinator, fake agents
 * answering at once, 5 s interval, lag measured), at one load, alternately with `ROLLUPS=on` and
 * `ROLLUPS=off`. The capacity ratio follows from the cost per round of core 1 (Redis, the fake
 * agents, the bench: what bounds this box), off ÷ on.
 */
async function capacitySideBySide(options: RollupsOptions): Promise<Omit<RollupsResult['capacity'], 'capacityRatioFromScriptCost'>> {
  const runs: CapacityPair[] = [];
  for (let pair = 0; pair < options.pairs; pair++) {
    for (const mode of pair % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      options.log(`  coordinator with ROLLUPS=${mode}: ${options.equivalentAt30s} monitors @30 s equivalent (fresh Redis and coordinator)`);
      const session = await CoordinatorSession.start(options.placement, REGIONS.length, 'single', { ROLLUPS: mode });
      try {
        const step = await session.step(options.equivalentAt30s, 5, 3, options.log);
        const perRound = (percent: number | undefined): number => round(((percent ?? NaN) / 100 / step.roundsPerSecond) * 1e6);
        runs.push({
          mode,
          step,
          redisCpuUsPerRound: perRound(step.cpuPercent['redis']),
          coordinatorCpuUsPerRound: perRound(step.cpuPercent['coordinator']),
          // Our processes on core 1 (Redis, the bench with its fake agents), not the core's busy time: neighbours use it too.
          core1CpuUsPerRound: perRound((step.cpuPercent['redis'] ?? NaN) + (step.cpuPercent['bench'] ?? NaN)),
        });
      } finally {
        await session.stop();
      }
    }
  }
  const summary = (mode: 'on' | 'off') => {
    const of = runs.filter((run) => run.mode === mode);
    const commands = of.map((run) => run.step.redisCommandsPerRound).filter((n): n is number => n !== null);
    return {
      redisCpuUsPerRound: round(median(of.map((run) => run.redisCpuUsPerRound))),
      coordinatorCpuUsPerRound: round(median(of.map((run) => run.coordinatorCpuUsPerRound))),
      core1CpuUsPerRound: round(median(of.map((run) => run.core1CpuUsPerRound))),
      redisCommandsPerRound: commands.length ? round(median(commands), 1) : null,
      passed: of.filter((run) => run.step.pass).length,
    };
  };
  const on = summary('on');
  const off = summary('off');
  return {
    equivalentAt30s: options.equivalentAt30s,
    runs,
    on,
    off,
    capacityRatioCore1: round(off.core1CpuUsPerRound / on.core1CpuUsPerRound, 3),
    capacityRatioRedis: round(off.redisCpuUsPerRound / on.redisCpuUsPerRound, 3),
  };
}

export async function rollupsBench(options: RollupsOptions): Promise<RollupsResult> {
  const build = await loadBuild();
  const redis = await startRedis(options.placement.infra !== undefined ? { cpu: options.placement.infra } : {});
  let memory: RollupMemory;
  let commit: CommitCost;
  try {
    options.log('  (a) rollup memory per monitor after a full retention (3 regions, 30 s)');
    memory = await rollupMemory(build, redis.client, options.log);
    options.log('  (b) the commit script per round, rollups on and off');
    commit = await commitCost(build, redis.client, 4_000, options.log);
  } finally {
    await redis.stop();
  }
  options.log('  (c) the coordinator, ROLLUPS=on and off side by side');
  const measured = await capacitySideBySide(options);
  const offRedis = measured.off.redisCpuUsPerRound;
  const capacity = { ...measured, capacityRatioFromScriptCost: round(offRedis / (offRedis + commit.extraUsecPerRound), 3) };
  return { memory, commit, capacity };
}
