#!/usr/bin/env node
/**
 * `npm run bench`: Crosscheck's performance figures on this machine, in one run. Prints figures
 * and ratios and writes them to bench/results/latest.json; asserts nothing.
 *
 *   node bench/dist/main.js                      # all parts
 *   node bench/dist/main.js agent memory         # only some: agent | memory | detection | coordinator | rollups | memory-redis | config
 *
 * Environment: BENCH_BUDGET_SECONDS (whole run, default 345), BENCH_CONCURRENCY (default 200),
 * BENCH_NO_CONFIRM=1 (skip the direct 30 s coordinator run), BENCH_NO_CLUSTER=1 (skip its run on a
 * 3-master Redis Cluster), BENCH_REDIS_AOF=1 (coordinator's Redis
 * with AOF everysec), BENCH_MEMORY_CHECKS (checks in flight in the memory part, default 1000),
 * BENCH_MEMORY_BODY_BYTES (body size of its large-body run, default 4 MiB),
 * BENCH_MEMORY_BUDGET_BYTES (the agent's AGENT_MEMORY_BUDGET_BYTES there; default: the agent's),
 * BENCH_AGENT_MAIN (the agent build to measure, e.g. another checkout's apps/agent/dist/main.js;
 * default: this tree's; with BENCH_CHECK_JOB_VERSION=1 for a build from before contract v2), BENCH_AGENT_CPU_PROF (a folder for the agents' V8 CPU profiles),
 * BENCH_REDIS_MEMORY_WINDOW_SECONDS (window of the Redis memory part, default 60),
 * BENCH_ROLLUPS=off (the coordinator part's coordinators without rollups), BENCH_ROLLUPS_EQUIVALENT
 * (load of the rollups part's side-by-side runs, monitors @30 s, default 8000), BENCH_ROLLUPS_PAIRS (default 2).
 *
 * See bench/README.md for what is measured and how the two cores are shared.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { agentMemory, type MemoryResult } from './agent-memory';
import { AGENT_MAIN, nodeArgsFrom, REPO_ROOT } from './agent-process';
import { agentCostPairs, agentThroughput, type AgentPairResult, type Placement, type ThroughputResult } from './agent-throughput';
import { CLI_MAIN, configAsCode, type ConfigResult } from './config-as-code';
import { coordinatorBuilt, coordinatorCapacity, COORDINATOR_MAIN, type CapacityResult, type StepResult } from './coordinator-capacity';
import { detectionLatency, type DetectionResult } from './detection-latency';
import { canPin, installTeardownHandlers, pinProcess, teardown } from './processes';
import { redisMemory, type RedisMemoryResult } from './redis-memory';
import { rollupsBench, type RollupsResult } from './rollups';
import { startRedis } from './redis-server';
import { cpuLine, fmt, table } from './stats';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string } | { ok: false; skipped: string };

interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  machine: {
    cores: number;
    cpuModel: string;
    node: string;
    kernel: string;
    memoryGiB: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    gitCommit: string | null;
  };
  placement: { pinned: boolean; clientCpu: number | null; infraCpu: number | null; note: string };
  throughput?: Outcome<ThroughputResult>;
  agentPair?: Outcome<AgentPairResult>;
  memory?: Outcome<MemoryResult>;
  memoryLargeBodies?: Outcome<MemoryResult>;
  coordinator?: Outcome<CapacityResult>;
  detection?: Outcome<DetectionResult>;
  redisMemory?: Outcome<RedisMemoryResult>;
  rollups?: Outcome<RollupsResult>;
  config?: Outcome<ConfigResult>;
}

/** `agent-pair` (before/after pairs of two agent builds, see bench/README.md) runs only when asked for. */
const PARTS = ['agent', 'memory', 'detection', 'coordinator', 'rollups', 'memory-redis', 'config', 'agent-pair'] as const;
const DEFAULT_PARTS = PARTS.filter((part) => part !== 'agent-pair');
type Part = (typeof PARTS)[number];

const started = Date.now();
const log = (line: string): void => {
  process.stdout.write(`[${((Date.now() - started) / 1_000).toFixed(0).padStart(3)}s] ${line}\n`);
};

async function main(): Promise<void> {
  installTeardownHandlers();
  const requested = process.argv.slice(2);
  for (const part of requested) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`unknown part "${part}" (parts: ${PARTS.join(', ')})`);
  const parts = new Set<Part>(requested.length ? (requested as Part[]) : DEFAULT_PARTS);
  const budgetSeconds = Number(process.env['BENCH_BUDGET_SECONDS'] ?? 345);
  const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 200);

  const cores = availableParallelism();
  // Client side (raw load generator, agent, coordinator) alone on CPU 0; everything else
  // (target, Redis, this process) on CPU 1. On one core, or without taskset, nothing is pinned.
  const pinned = canPin && cores >= 2;
  const placement: Placement = pinned ? { client: 0, infra: 1 } : { client: undefined, infra: undefined };
  if (pinned) pinProcess(process.pid, 1);

  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    machine: {
      cores,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      kernel: release(),
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
      loadAverageAtEnd: [],
      gitCommit: gitCommit(),
    },
    placement: {
      pinned,
      clientCpu: placement.client ?? null,
      infraCpu: placement.infra ?? null,
      note: pinned
        ? 'measured process (raw load generator | agent | coordinator) pinned alone to CPU 0; target server, redis-server and the bench itself pinned to CPU 1'
        : 'not pinned (taskset missing or a single core): every process shares every core',
    },
  };
  log(`crosscheck bench: ${cores} cores (${report.machine.cpuModel}), node ${process.version}, load average ${report.machine.loadAverageAtStart.join(' ')}`);
  log(`placement: ${report.placement.note}`);

  const agentBuilt = existsSync(AGENT_MAIN);
  if ((parts.has('agent') || parts.has('memory') || parts.has('agent-pair')) && agentBuilt) {
    const redis = await startRedis(placement.infra !== undefined ? { cpu: placement.infra } : {});
    try {
      if (parts.has('agent-pair')) {
        const other = process.env['BENCH_PAIR_WITH'];
        if (!other || !existsSync(other)) throw new Error('agent-pair: BENCH_PAIR_WITH must name another build\'s apps/agent/dist/main.js');
        const rounds = Number(process.env['BENCH_PAIR_ROUNDS'] ?? 3);
        log(`agent pairs: A = ${other}, B = ${AGENT_MAIN}, ${rounds} round(s), no bypass`);
        report.agentPair = await outcome(() =>
          agentCostPairs({ redis, placement, concurrency, rawWarmupMs: 1_500, rawDurationMs: 6_000, agentWindowSeconds: 8, log, mains: [other, AGENT_MAIN], rounds,
            // BENCH_PAIR_NODE_ARGS_A / _B: node options for one side only (a V8 flag against none, say).
            nodeArgs: [nodeArgsFrom('BENCH_PAIR_NODE_ARGS_A'), nodeArgsFrom('BENCH_PAIR_NODE_ARGS_B')],
            // Pairs alternate builds, so a busy neighbour loads both: waiting long for quiet buys little.
            quietWaitMs: Number(process.env['BENCH_PAIR_QUIET_WAIT_MS'] ?? 3_000) }),
        );
        if (report.agentPair.ok) {
          const { medians, ratioBToA } = report.agentPair.value;
          log(`agent pairs: median CPU µs per check A ${medians[0]}, B ${medians[1]} (B/A ${ratioBToA})`);
        }
      }
      if (parts.has('agent')) {
        log(`part 1: agent throughput vs raw undici and blackbox_exporter (agent: ${AGENT_MAIN})`);
        report.throughput = await outcome(() =>
          agentThroughput({ redis, placement, concurrency, rawWarmupMs: 1_500, rawDurationMs: 6_000, agentWindowSeconds: 8, log }),
        );
      }
      if (parts.has('memory')) {
        const checks = Number(process.env['BENCH_MEMORY_CHECKS'] ?? 1_000);
        const bodyBytes = Number(process.env['BENCH_MEMORY_BODY_BYTES'] ?? 4 * 1024 * 1024);
        const budget = process.env['BENCH_MEMORY_BUDGET_BYTES'];
        log(`part 2: agent RSS with ${checks} checks in flight, small bodies`);
        // A budget for every check's default caps (twice 1 MiB, twice): all of them probe at once, as before the budget.
        report.memory = await outcome(() => agentMemory({ redis, placement, checks, holdMs: 6_000, budgetBytes: checks * 4 * 2 ** 20, log }));
        log(`part 2b: agent RSS with ${checks} checks in flight on ${(bodyBytes / 2 ** 20).toFixed(1)} MiB bodies (memory budget)`);
        report.memoryLargeBodies = await outcome(() =>
          agentMemory({ redis, placement, checks, holdMs: 1_000, bodyBytes, fullPhaseSeconds: 45, ...(budget ? { budgetBytes: Number(budget) } : {}), log }),
        );
      }
    } finally {
      await redis.stop();
    }
  } else {
    const skipped = `apps/agent/dist/main.js is missing: run npm run build`;
    if (parts.has('agent')) report.throughput = { ok: false, skipped };
    if (parts.has('memory')) report.memory = report.memoryLargeBodies = { ok: false, skipped };
  }

  if (parts.has('detection')) {
    if (!coordinatorBuilt() || !agentBuilt) {
      report.detection = { ok: false, skipped: 'coordinator or agent not built: unmeasured' };
    } else {
      log('part 4: detection latency (origin fails -> incident.opened received)');
      report.detection = await outcome(() => detectionLatency({ trials: 5, log }));
    }
  }

  if (parts.has('coordinator')) {
    if (!coordinatorBuilt()) {
      report.coordinator = { ok: false, skipped: `${COORDINATOR_MAIN} is missing (coordinator not built): unmeasured` };
      log(`part 3: ${report.coordinator.skipped}`);
    } else {
      const remaining = budgetSeconds - (Date.now() - started) / 1_000 - 10;
      log('part 3: coordinator capacity');
      report.coordinator = await outcome(() =>
        coordinatorCapacity({
          placement,
          regions: 3,
          stepIntervalSeconds: 5,
          windowIntervals: 2,
          startEquivalent: 1_000,
          maxEquivalent: 256_000,
          budgetSeconds: Math.max(90, remaining),
          confirm: process.env['BENCH_NO_CONFIRM'] !== '1',
          cluster: process.env['BENCH_NO_CLUSTER'] !== '1',
          coordinatorEnv: { ROLLUPS: process.env['BENCH_ROLLUPS'] === 'off' ? 'off' : 'on' },
          log,
        }),
      );
    }
  }

  if (parts.has('rollups')) {
    if (!coordinatorBuilt()) {
      report.rollups = { ok: false, skipped: `${COORDINATOR_MAIN} is missing (coordinator not built): unmeasured` };
    } else {
      // After the capacity search (which sizes itself on the time budget): about two and a half minutes.
      log('part 3c: uptime rollups: memory per monitor, cost per round, the coordinator with ROLLUPS=on and off');
      report.rollups = await outcome(() =>
        rollupsBench({
          placement,
          equivalentAt30s: Number(process.env['BENCH_ROLLUPS_EQUIVALENT'] ?? 8_000),
          pairs: Number(process.env['BENCH_ROLLUPS_PAIRS'] ?? 2),
          log,
        }),
      );
    }
  }

  if (parts.has('memory-redis')) {
    if (!coordinatorBuilt()) {
      report.redisMemory = { ok: false, skipped: `${COORDINATOR_MAIN} is missing (coordinator not built): unmeasured` };
    } else {
      // After the capacity part, whose search takes what is left of the time budget.
      log('part 5: Redis memory per monitor (100 monitors @1 s x 3 regions, healthy)');
      report.redisMemory = await outcome(() =>
        redisMemory({ placement, monitors: 100, regions: 3, warmupSeconds: 80, windowSeconds: Number(process.env['BENCH_REDIS_MEMORY_WINDOW_SECONDS'] ?? 60), log }),
      );
    }
  }

  if (parts.has('config')) {
    if (!coordinatorBuilt() || !existsSync(CLI_MAIN)) {
      report.config = { ok: false, skipped: 'coordinator or CLI not built: unmeasured' };
    } else {
      // Last: the capacity search above sizes itself on what is left of the time budget.
      log('part 6: monitoring as code with the real CLI (50 and 500 monitors)');
      report.config = await outcome(() => configAsCode({ placement, sizes: [50, 500], repeats: 3, log }));
    }
  }

  report.durationSeconds = Math.round((Date.now() - started) / 1_000);
  report.machine.loadAverageAtEnd = loadavg().map((n) => Math.round(n * 100) / 100);
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`), json);
  process.stdout.write(`\n${summary(report)}\n\n(written to bench/results/latest.json; took ${report.durationSeconds} s)\n`);
}

async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`FAILED: ${message}`);
    return { ok: false, error: message };
  }
}

function summary(report: BenchReport): string {
  const rows: string[][] = [['figure', 'value', 'details']];
  const failed = (what: string, o: Outcome<unknown> | undefined): void => {
    if (o && !o.ok) rows.push([what, 'n/a', 'error' in o ? `failed: ${o.error.split('\n')[0] ?? ''}` : o.skipped]);
  };

  const t = report.throughput;
  if (t?.ok) {
    const { raw, noBypass, bypass } = t.value;
    const runs = t.value.rawRuns.map((r) => fmt(r.requestsPerSecond)).join(' / ');
    const us = (value: number | null): string => `${fmt(value)} CPU µs`;
    rows.push([
      'raw undici req/s (fresh conn each)',
      fmt(raw.requestsPerSecond),
      `${us(t.value.cpuMicrosPerRawRequest)}/request; mean of runs before / after the agent: ${runs}; ${raw.concurrency} concurrent; cpu ${cpuLine(raw.cpuPercent)}; errors ${raw.errors}`,
    ]);
    rows.push([
      'agent checks/s, cacheBypass off',
      fmt(noBypass.checksPerSecond),
      `${us(t.value.cpuMicrosPerCheckNoBypass)}/check; 1 req/check = ${fmt(noBypass.targetRequestsPerSecond)} req/s at target; ${noBypass.windowChecks} checks in ${noBypass.windowSeconds} s; cpu ${cpuLine(noBypass.cpuPercent)}`,
    ]);
    rows.push([
      'agent checks/s, cacheBypass on (default)',
      fmt(bypass.checksPerSecond),
      `${us(t.value.cpuMicrosPerCheckBypass)}/check; 2 req/check = ${fmt(bypass.targetRequestsPerSecond)} req/s at target; cpu ${cpuLine(bypass.cpuPercent)}`,
    ]);
    const bb = t.value.blackbox;
    if (bb.ok) {
      rows.push([
        'blackbox_exporter probes/s (http_2xx)',
        fmt(bb.value.probesPerSecond),
        `${us(t.value.cpuMicrosPerBlackboxProbe)}/probe; v${bb.value.version}, fresh conn per probe, driven by wrk at ${bb.value.concurrency} concurrent from the other core ` +
          `(${fmt(bb.value.wrkRequestsPerSecond)} /probe req/s over its run, errors ${fmt(bb.value.wrkErrors)}; sample probes ${bb.value.sampleSuccess ? 'succeeded' : 'FAILED'}); cpu ${cpuLine(bb.value.cpuPercent)}`,
      ]);
    } else rows.push(['blackbox_exporter probes/s (http_2xx)', 'n/a', bb.skipped]);
    rows.push(['ratio agent/raw, same req/check', fmt(t.value.ratioNoBypass, 2), `checks/s (bypass off) ÷ raw req/s (throughput; see the ratio at equal CPU)`]);
    rows.push(['ratio agent/raw, HTTP req/s, bypass on', fmt(t.value.ratioBypassRequests, 2), 'target-counted req/s (2 per check) ÷ raw req/s']);
    rows.push([
      'ratio agent/raw at equal CPU (same req/check)',
      fmt(t.value.ratioNoBypassAtEqualCpu, 2),
      `CPU µs per raw request ÷ per agent check (bypass off); goal ≥ 0.75 → ${t.value.ratioNoBypassAtEqualCpu >= 0.75 ? 'met' : 'NOT met'}; unaffected by a neighbour stealing CPU`,
    ]);
    if (bb.ok) {
      const ratio = t.value.ratioAgentToBlackbox ?? NaN;
      rows.push([
        'ratio agent/blackbox probes/s',
        fmt(ratio, 2),
        `agent checks/s (bypass off) ÷ blackbox probes/s, each alone on CPU 0; goal ≥ 1.5 → ${ratio >= 1.5 ? 'met' : 'NOT met'}; at equal CPU ${fmt(t.value.ratioAgentToBlackboxAtEqualCpu, 2)}`,
      ]);
    }
    const verdicts = `${JSON.stringify(noBypass.verdictSample)} / ${JSON.stringify(bypass.verdictSample)}`;
    rows.push(['agent verdict sample / failed jobs', verdicts, `failed check jobs ${noBypass.failedJobs} / ${bypass.failedJobs}`]);
  } else failed('agent throughput', t);

  const m = report.memory;
  if (m?.ok) {
    const v = m.value;
    rows.push([
      `agent RSS baseline / peak @${v.checks} in flight`,
      `${fmt(v.baselineRssMiB, 1)} / ${fmt(v.peakRssAtFullMiB, 1)} MiB`,
      `VmHWM ${fmt(v.hwmMiB, 1)} MiB; heartbeat inFlight max ${v.maxHeartbeatInFlight} (${v.beatsAtFull} beats ≥99%); target held ${v.maxTargetOpen} requests (bypass on: 2/check); ${v.results} results in ${v.totalSeconds} s`,
    ]);
  } else failed('agent RSS', m);

  const big = report.memoryLargeBodies;
  if (big?.ok) {
    const v = big.value;
    const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${fmt(bytes / 2 ** 20, 1)} MiB`);
    rows.push([
      `agent RSS, ${v.checks} in flight on ${mib(v.bodyBytes)} bodies`,
      `${fmt(v.baselineRssMiB, 1)} idle / ${fmt(v.hwmMiB, 1)} MiB peak`,
      `budget ${v.budgetMiB === null ? 'none' : `${fmt(v.budgetMiB, 0)} MiB`}; peak ÷ (budget + idle) = ${fmt(v.hwmOverBudgetPlusIdle, 2)} ` +
        `(under 1: held); sampled peak ${fmt(v.peakRssMiB, 1)} MiB (${fmt(v.peakRssAtFullMiB, 1)} at ≥99% in flight); reserved max ${fmt(v.maxReservedMiB, 0)} MiB; ` +
        `target held ${v.maxTargetOpen} requests at once; ${v.results} results in ${v.totalSeconds} s` +
        (v.stoppedEarly ? ` (sampled for 45 s at ≥99% in flight, then stopped)` : ''),
    ]);
  } else failed('agent RSS, large bodies', big);

  const c = report.coordinator;
  if (c?.ok) {
    const v = c.value;
    const at = (equivalent: number | null): StepResult | undefined => v.steps.find((s) => s.equivalentMonitorsAt30s === equivalent);
    const best = at(v.sustainedEquivalentAt30s);
    const lag = (step: StepResult | undefined): string => (step ? `lag p50/p95/max ${fmt(step.lagMs.p50)}/${fmt(step.lagMs.p95)}/${fmt(step.lagMs.max)} ms` : '');
    const direct = v.confirmations
      .map((d) => `${fmt(d.monitors)} @30 s: ${d.pass ? 'pass' : 'FAIL'}, ${lag(d)}, cpu ${cpuLine(d.cpuPercent)}`)
      .join(' | ');
    const headline =
      v.sustainedAt30s === null
        ? v.lowestDirectFailure !== null
          ? `< ${fmt(v.lowestDirectFailure)}`
          : 'none passed'
        : `${fmt(v.sustainedAt30s)}${v.sustainedAt30sConfirmed ? '' : ' (unconfirmed)'}`;
    rows.push([
      'coordinator monitors @30 s × 3 regions',
      headline,
      (v.confirmations.length
        ? `direct @30 s, 60 s window incl. a reconcile pass (fresh Redis + coordinator each): ${direct}`
        : 'no direct 30 s run (time budget): short-interval equivalent') +
        `; the 5 s-interval search (below) bounds it from above`,
    ]);
    rows.push([
      '  found at intervalSeconds 5 (equivalent)',
      fmt(v.sustainedEquivalentAt30s),
      best ? `${fmt(best.monitors)} monitors @5 s = ${fmt(best.checkJobsPerSecond)} check jobs/s; ${lag(best)}; cpu ${cpuLine(best.cpuPercent)}` : '',
    ]);
    const fail = at(v.firstFailingEquivalentAt30s);
    rows.push(['  first failing (equivalent @30 s)', fmt(v.firstFailingEquivalentAt30s), fail ? `${fail.failReasons.join('; ')}; cpu ${cpuLine(fail.cpuPercent)}` : v.stoppedBecause]);
    const shares = (step: StepResult): string => step.redisCommandsByNode.map((n) => `${n.node} ${fmt(n.sharePercent, 1)}%`).join(', ');
    if (v.cluster.length > 0) {
      rows.push([
        'coordinator on a 3-master Redis Cluster @30 s × 3 regions',
        v.clusterSustainedAt30s === null ? 'none passed' : fmt(v.clusterSustainedAt30s),
        v.cluster.map((d) => `${fmt(d.monitors)} @30 s: ${d.pass ? 'pass' : `FAIL (${d.failReasons.join('; ')})`}, ${lag(d)}, cpu ${cpuLine(d.cpuPercent)}`).join(' | ') +
          '; same box, same two cores: the masters share CPU 1 with the fake agents',
      ]);
    }
    const perRound = (step: StepResult | undefined): string => (step ? `${fmt(step.redisCommandsPerRound, 1)} (${shares(step)})` : 'n/a');
    const singleRun = [...v.confirmations].reverse().find((d) => d.pass) ?? v.confirmations[v.confirmations.length - 1] ?? best;
    const clusterRun = [...v.cluster].reverse().find((d) => d.pass) ?? v.cluster[v.cluster.length - 1];
    rows.push([
      'redis commands per round, single / cluster',
      `${fmt(singleRun?.redisCommandsPerRound, 1)} / ${fmt(clusterRun?.redisCommandsPerRound, 1)}`,
      `INFO commandstats calls (every node; a Lua script is one) ÷ rounds started in the window (3 regions each); per node: single ${perRound(singleRun)}; cluster ${perRound(clusterRun)}`,
    ]);
  } else failed('coordinator capacity', c);

  const u = report.rollups;
  if (u?.ok) {
    const { memory, commit, capacity } = u.value;
    const kib = (bytes: number): string => `${fmt(bytes / 1024, 1)} KiB`;
    const tier = (name: string) => memory.tiers.find((t) => t.tier === name);
    const tierLine = (name: string): string => {
      const t = tier(name);
      return t ? `${name} ${kib(t.bytes)} (${fmt(t.keys)} keys, ${fmt(t.buckets)} buckets, ${fmt(t.bytesPerBucket)} B each)` : '';
    };
    rows.push([
      `rollups: Redis per monitor, full retention (${memory.regions} regions @${memory.intervalSeconds} s)`,
      kib(memory.bytesPerMonitor),
      `${memory.retention.minuteHours} h of minutes, ${memory.retention.hourDays} d of hours, ${memory.retention.dayDays} d of days: ${tierLine('minute')}; ${tierLine('hour')}; ${tierLine('day')}; ` +
        `open buckets ${kib(tier('open')?.bytes ?? 0)}; a bucket's line ${memory.recordBytesPerBucket.minute}/${memory.recordBytesPerBucket.hour}/${memory.recordBytesPerBucket.day} B (minute/hour/day); ` +
        `10,000 monitors ${fmt((memory.bytesPerMonitor * 10_000) / 2 ** 30, 2)} GiB; ${fmt(memory.roundsSimulated)} rounds simulated, written by ${memory.fill} (${fmt(memory.mergeCalls)} calls, ${memory.fillSeconds} s)`,
    ]);
    rows.push([
      'rollups: commit script per round, on / off',
      `${fmt(commit.on.scriptUsecPerRound, 1)} / ${fmt(commit.off.scriptUsecPerRound, 1)} µs`,
      `Redis time of COMMIT_TRANSITION (EVALSHA, inner commands included) over ${fmt(commit.roundsPerMode)} rounds each: +${fmt(commit.extraUsecPerRound, 1)} µs and +${fmt(commit.extraCommandsPerRound, 2)} commands per round ` +
        `(inner commands ${fmt(commit.on.innerCommandsPerRound, 2)} / ${fmt(commit.off.innerCommandsPerRound, 2)}); one round driven from this process (read state, reconcile, plan, commit) ${fmt(commit.on.clientUsecPerRound)} / ${fmt(commit.off.clientUsecPerRound)} µs`,
    ]);
    const run = (r: (typeof capacity.runs)[number]): string =>
      `${r.mode} ${r.step.pass ? 'pass' : 'FAIL'} (lag p95 ${fmt(r.step.lagMs.p95)} ms, Redis ${fmt(r.redisCpuUsPerRound)} µs, core 1 ${fmt(r.core1CpuUsPerRound)} µs, coordinator ${fmt(r.coordinatorCpuUsPerRound)} µs per round)`;
    rows.push([
      `rollups: coordinator capacity on ÷ off @${fmt(capacity.equivalentAt30s)} (30 s equiv.)`,
      `${fmt(capacity.capacityRatioFromScriptCost, 3)} (measured ${fmt(capacity.capacityRatioCore1, 2)})`,
      `from the script's cost: Redis CPU per round off ${fmt(capacity.off.redisCpuUsPerRound)} µs ÷ (that + ${fmt(commit.extraUsecPerRound, 1)} µs); goal ≥ 0.9 → ${Math.min(capacity.capacityRatioFromScriptCost, capacity.capacityRatioCore1) >= 0.9 ? 'met' : 'NOT met'}; ` +
        `measured side by side: core 1's CPU per round off ÷ on ${fmt(capacity.off.core1CpuUsPerRound)} / ${fmt(capacity.on.core1CpuUsPerRound)} µs (Redis alone ${fmt(capacity.capacityRatioRedis, 2)}: ${fmt(capacity.off.redisCpuUsPerRound)} / ${fmt(capacity.on.redisCpuUsPerRound)} µs; run to run spread is larger than the effect); ` +
        `passed on ${capacity.on.passed}, off ${capacity.off.passed}; commands per round ${fmt(capacity.on.redisCommandsPerRound, 1)} / ${fmt(capacity.off.redisCommandsPerRound, 1)}; ` +
        capacity.runs.map(run).join(' | '),
    ]);
  } else failed('rollups', u);

  const d = report.detection;
  if (d?.ok) {
    const v = d.value;
    rows.push([
      'detection overhead (target < 1,000 ms)',
      `${fmt(v.overheadMs.p50)} ms p50, ${fmt(v.overheadMs.max)} ms max`,
      `origin fails -> incident.opened received, minus openAfter ${v.openAfter} x ${v.intervalSeconds} s; raw latency p50/max ${fmt(v.latencyMs.p50)}/${fmt(v.latencyMs.max)} ms over ${v.trials} trials (real coordinator, 3 agents, webhook receiver)`,
    ]);
    rows.push(['  pipeline (confirming round scheduled -> received)', `${fmt(v.pipelineMs.p50)} ms p50, ${fmt(v.pipelineMs.max)} ms max`, 'probe, result intake, finalize, reconcile + incident commit, outbox relay, signed webhook delivery']);
    rows.push(['  resolve overhead', `${fmt(v.resolveOverheadMs.p50)} ms p50, ${fmt(v.resolveOverheadMs.max)} ms max`, 'origin back -> incident.resolved received, minus resolveAfter x interval']);
  } else failed('detection latency', d);

  const r = report.redisMemory;
  if (r?.ok) {
    const v = r.value;
    const kib = (bytes: number): string => `${fmt(bytes / 1024, 1)} KiB`;
    const gib = (bytes: number): string => `${fmt(bytes / 2 ** 30, 1)} GiB`;
    const s = v.steadyState;
    rows.push([
      `Redis bytes per healthy round (${v.regions} regions)`,
      `${fmt(v.bytesPerRound)} B`,
      `every key weighed at both ends of ${fmt(v.windowSeconds)} s with ${v.monitors} monitors @1 s, but the queues' retained jobs (capped by count per queue and shard: ` +
        `${fmt(v.queueRetentionBytesPerRound)} B/round while they fill, then 0); used_memory_dataset slope ${fmt(v.datasetMemoryBytesPerRound)} B/round (retention included); ` +
        `${fmt(v.roundsInWindow)} of ${fmt(v.roundsScheduledInWindow)} rounds finalized${Math.abs(v.roundsInWindow / v.roundsScheduledInWindow - 1) > 0.05 ? ' (the coordinator fell behind: figures distorted)' : ''}; ` +
        `per-monitor keys alone ${fmt(v.monitorKeysBytesPerRound)} B; goal ≤ ${fmt(v.goals.bytesPerRound)} B → ${v.goals.perRoundMet ? 'met' : 'NOT met'}`,
    ]);
    rows.push([
      `Redis per monitor @${s.intervalSeconds} s × ${v.regions}, steady`,
      kib(s.bytesPerMonitor),
      `history ${fmt(s.historyEntries)} entries (bound: ${s.historyBoundBy}; retention ${fmt(v.retention.maxEntries)} entries / ${v.retention.days} d / ${kib(v.retention.maxRecordBytes)}) × ` +
        `${fmt(v.history.healthyBytesPerEntry)} B (compact entries' JSON + the stream's overhead per entry; all entries here: ${fmt(v.history.bytesPerEntry)} B, ` +
        `${fmt(v.history.compactShare * 100)} % compact) = ${kib(s.historyBytes)}; rounds alive ${fmt(v.rounds.lifetimeSeconds)} s ÷ ${s.intervalSeconds} s × ${fmt(v.rounds.meanBytes ?? 0)} B = ${kib(s.roundsBytes)}; ` +
        `transition markers ${kib(s.transitionMarkersBytes)}; once per monitor ${kib(s.fixedBytes)}; rounds in flight ${kib(s.inFlightBytes)}; shared keys ${kib(s.sharedBytes)}; goal ≤ ${kib(v.goals.bytesPerMonitor)} → ${v.goals.perMonitorMet ? 'met' : 'NOT met'}`,
    ]);
    rows.push([
      '  projection 10,000 / 100,000 monitors',
      `${gib(v.projections[0]?.bytes ?? NaN)} / ${gib(v.projections[1]?.bytes ?? NaN)}`,
      `steady bytes per monitor × monitors, plus the queues' count-capped retention (${fmt(v.queueBytes / 2 ** 20, 1)} MiB here, independent of the monitor count)`,
    ]);
  } else failed('Redis memory per monitor', r);

  const cfg = report.config;
  if (cfg?.ok) {
    const v = cfg.value;
    rows.push([
      'CLI startup floor (--version)',
      `${fmt(v.startupFloorMs)} ms`,
      `median wall of ${v.startupRuns} runs of node apps/cli/dist/main.js --version, CPU ${fmt(v.startupCpuMs)} ms: every CLI step below pays it`,
    ]);
    for (const size of v.sizes) {
      const of = (name: string) => size.steps.find((s) => s.step === name);
      const ms = (name: string): string => `${fmt(of(name)?.medianWallMs)} ms`;
      rows.push([
        `config as code, ${fmt(size.monitors)} monitors: plan / apply`,
        `${ms('plan empty')} / ${ms('apply empty')}`,
        `on an empty coordinator; unchanged plan ${ms('plan unchanged')}, 10 % changed: plan ${ms('plan changed')}, apply ${ms('apply changed')}; export ${ms('export')}; ` +
          `${size.steps.every((s) => s.asExpected) ? 'every step said what it should' : `UNEXPECTED: ${size.steps.filter((s) => !s.asExpected).map((s) => `${s.step} said "${s.said}"`).join('; ')}`}`,
      ]);
    }
  } else failed('config as code', cfg);

  const machine = report.machine;
  rows.push(['machine', `${machine.cores} cores, node ${machine.node}`, `${machine.cpuModel}; load avg start ${machine.loadAverageAtStart.join(' ')}, end ${machine.loadAverageAtEnd.join(' ')}`]);
  rows.push(['placement', report.placement.pinned ? 'pinned' : 'unpinned', report.placement.note]);

  const parts: string[] = [table(rows)];
  if (c?.ok && c.value.steps.length > 0) {
    const stepRows: string[][] = [
      ['redis', 'equiv @30s', 'monitors', 'interval', 'checks/s', 'lag p50', 'p95', 'max', 'checks seen', 'coord', 'redis', 'bench', 'others', 'core0/core1', 'redis cmd ms/round', 'cmds/round', 'result'],
    ];
    for (const s of [...c.value.steps, ...c.value.confirmations, ...c.value.cluster]) {
      stepRows.push([
        s.topology === 'cluster' ? 'cluster' : 'single',
        fmt(s.equivalentMonitorsAt30s),
        fmt(s.monitors),
        `${s.intervalSeconds} s`,
        fmt(s.checkJobsPerSecond),
        fmt(s.lagMs.p50),
        fmt(s.lagMs.p95),
        fmt(s.lagMs.max),
        `${s.observedChecks}/${s.expectedChecks}`,
        `${fmt(s.cpuPercent['coordinator'])}%`,
        `${fmt(s.cpuPercent['redis'])}%`,
        `${fmt(s.cpuPercent['bench'])}%`,
        `${fmt(s.cpuPercent['others'])}%`,
        `${fmt(s.cpuPercent['core0'])}/${fmt(s.cpuPercent['core1'])}%`,
        fmt(s.redisCommandMsPerRound, 2),
        fmt(s.redisCommandsPerRound, 1),
        s.pass ? 'ok' : `FAIL: ${s.failReasons.join('; ')}`,
      ]);
    }
    parts.push(`coordinator steps (lag = check job timestamp − round scheduledAt, ms; cpu in % of one core):\n${table(stepRows)}`);
  }
  if (cfg?.ok) {
    const stepRows: string[][] = [['monitors', 'step', 'wall ms (median)', 'runs', 'ms/monitor above floor', 'CLI CPU ms', 'API requests', 'reads + dry runs + writes + lock', 'CLI said']];
    for (const size of cfg.value.sizes) {
      for (const s of size.steps) {
        const r = s.requests;
        stepRows.push([
          fmt(size.monitors),
          s.step,
          fmt(s.medianWallMs),
          `${s.runs}`,
          s.msPerMonitor === null ? '' : fmt(s.msPerMonitor, 2),
          fmt(s.cpuMs),
          r ? `${fmt(r.total)}${r.how === 'derived' ? ' (derived)' : ''}` : 'offline',
          r ? `${r.reads} + ${r.dryRuns} + ${r.writes} + ${r.lock}` : '',
          `${s.said}${s.asExpected ? '' : ' (UNEXPECTED)'}`,
        ]);
      }
    }
    parts.push(
      `config as code (wall = CLI spawn to exit, incl. the node startup floor of ${fmt(cfg.value.startupFloorMs)} ms; requests counted through a proxy in an extra untimed run, apply's derived; ${cfg.value.placement}):\n${table(stepRows)}`,
    );
  }
  return parts.join('\n\n');
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => void teardown().then(() => process.exit()));
