import { agentKey, CHECK_QUEUE, regionPrefix, type CheckJob } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { startAgent } from './agent-process';
import type { Placement } from './agent-throughput';
import { addCheckJobs, benchRegion, ResultCounter } from './jobs';
import { logTail, memoryOf, sleep, waitForQuietMachine } from './processes';
import type { BenchRedis } from './redis-server';
import { round } from './stats';
import { startTarget } from './target';

const MiB = 1024 * 1024;

export interface MemoryOptions {
  redis: BenchRedis;
  placement: Placement;
  checks: number;
  holdMs: number;
  /**
   * Size of every response body, and the monitors' `maxBodyBytes`: each check then really reads
   * its whole cap, twice (the default bypass request). Unset: the target's small JSON document
   * under the default 1 MiB cap.
   */
  bodyBytes?: number;
  /** `AGENT_MEMORY_BUDGET_BYTES` for the agent; unset: the agent's default. */
  budgetBytes?: number;
  /**
   * Stop sampling once the heartbeat has reported ≥ 99% in flight for this long, instead of
   * waiting for every result (checks that wait for memory take a while to all get their turn).
   */
  fullPhaseSeconds?: number;
  log: (line: string) => void;
}

export interface MemoryResult {
  checks: number;
  concurrency: number;
  holdMs: number;
  /** Each check makes the default two requests (user's and cache-bypassing), so twice as many sockets. */
  requestsPerCheck: number;
  /** Size of each response body (null: the target's small JSON document). */
  bodyBytes: number | null;
  /** The agent's memory budget for bodies in flight, as its heartbeat reports it (null: the agent has none). */
  budgetMiB: number | null;
  /** Most body bytes the heartbeat reported reserved at once. */
  maxReservedMiB: number | null;
  /** Idle agent, connected, after its first heartbeat and 2 s of calm (median of 10 samples). */
  baselineRssMiB: number;
  /** Highest VmRSS sampled (every 100 ms) while the heartbeat said ≥ 99% of the checks were in flight. */
  peakRssAtFullMiB: number | null;
  /** Highest VmRSS sampled at any time of the run. */
  peakRssMiB: number;
  /** The kernel's own peak (VmHWM) at the end: catches a spike between samples. */
  hwmMiB: number;
  /** VmHWM ÷ (budget + baseline): under 1 means the budget held (null without a budget). */
  hwmOverBudgetPlusIdle: number | null;
  maxHeartbeatInFlight: number;
  /** Heartbeats (every 2 s) that reported ≥ 99% in flight. */
  beatsAtFull: number;
  /** Most requests the target held open at once (checks × requestsPerCheck without a budget to wait for). */
  maxTargetOpen: number;
  /** From the first job queued until all results were delivered, or sampling stopped. */
  totalSeconds: number;
  results: number;
  /** Sampling stopped after `fullPhaseSeconds` at full, before every result was in. */
  stoppedEarly: boolean;
}

/**
 * The agent's memory with `checks` checks in flight at once: a fresh agent with CONCURRENCY =
 * checks, a target that holds every response `holdMs` (then sends `bodyBytes` when set), `checks`
 * jobs queued at once.
 */
export async function agentMemory(options: MemoryOptions): Promise<MemoryResult> {
  const { redis, log } = options;
  await redis.flush();
  const region = benchRegion('mem');
  const agentId = 'bench-memory';
  const target = await startTarget('127.0.0.3', options.placement.infra);
  const checks = new Queue<CheckJob>(CHECK_QUEUE, { connection: redis.client, prefix: regionPrefix(region) });
  const agent = await startAgent({
    redis,
    region,
    agentId,
    concurrency: options.checks,
    cpu: options.placement.client,
    ...(options.budgetBytes !== undefined ? { env: { AGENT_MEMORY_BUDGET_BYTES: String(options.budgetBytes) } } : {}),
  });
  try {
    await sleep(2_000);
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      const memory = memoryOf(agent.pid);
      if (memory) idle.push(memory.rssMiB);
      await sleep(100);
    }
    idle.sort((a, b) => a - b);
    const baselineRssMiB = idle[Math.floor(idle.length / 2)] ?? NaN;
    const budget = numberOrNull(await redis.client.hget(agentKey(region, agentId), 'memoryBudgetBytes'));
    const budgetMiB = budget === null ? null : budget / MiB;
    const body = options.bodyBytes === undefined ? 'small JSON bodies' : `${(options.bodyBytes / MiB).toFixed(1)} MiB bodies`;
    log(
      `agent memory: idle RSS ${baselineRssMiB.toFixed(1)} MiB, budget ${budgetMiB === null ? 'none' : `${budgetMiB.toFixed(0)} MiB`}; ` +
        `queueing ${options.checks} checks on ${body}, held ${options.holdMs} ms each`,
    );

    await waitForQuietMachine(15_000, 15, log);
    const started = performance.now();
    const query = `hold=${options.holdMs}${options.bodyBytes !== undefined ? `&bytes=${options.bodyBytes}` : ''}`;
    // Distinct monitors (specs) per check, as in production: the spec cache holds them all.
    await addCheckJobs(
      checks,
      region,
      options.checks,
      (k) => ({
        url: `${target.origin}/health/m${k}?${query}`,
        timeoutMs: 60_000,
        ...(options.bodyBytes !== undefined ? { maxBodyBytes: options.bodyBytes } : {}),
      }),
      options.checks,
    );
    let peakRssAtFullMiB: number | null = null;
    let peakRssMiB = 0;
    let maxHeartbeatInFlight = 0;
    let maxReserved: number | null = null;
    let maxTargetOpen = 0;
    let lastBeat = '';
    let beatsAtFull = 0;
    const full = options.checks * 0.99;
    const giveUpAt = Date.now() + options.holdMs + 240_000;
    let results = 0;
    const counter = new ResultCounter(redis.client, region);
    let fullSince: number | undefined;
    let stoppedEarly = false;
    for (;;) {
      const memory = memoryOf(agent.pid);
      const [fields, stats, delivered] = await Promise.all([
        redis.client.hmget(agentKey(region, agentId), 'inFlight', 'lastBeat', 'memoryReservedBytes'),
        target.stats(),
        counter.count(),
      ]);
      const inFlight = Number(fields[0] ?? 0);
      if (fields[1] !== null && fields[1] !== undefined && fields[1] !== lastBeat) {
        lastBeat = fields[1];
        if (inFlight >= full) beatsAtFull += 1;
      }
      const reserved = numberOrNull(fields[2]);
      if (reserved !== null) maxReserved = Math.max(maxReserved ?? 0, reserved);
      maxHeartbeatInFlight = Math.max(maxHeartbeatInFlight, inFlight);
      maxTargetOpen = Math.max(maxTargetOpen, stats.open);
      if (memory) {
        peakRssMiB = Math.max(peakRssMiB, memory.rssMiB);
        if (inFlight >= full) peakRssAtFullMiB = Math.max(peakRssAtFullMiB ?? 0, memory.rssMiB);
      }
      results = delivered;
      if (results >= options.checks) break;
      if (inFlight >= full) fullSince ??= Date.now();
      if (options.fullPhaseSeconds !== undefined && fullSince !== undefined && Date.now() - fullSince >= options.fullPhaseSeconds * 1_000) {
        stoppedEarly = true;
        break;
      }
      if (Date.now() > giveUpAt) throw new Error(`only ${results}/${options.checks} results:\n${logTail(agent)}`);
      await sleep(100);
    }
    const totalSeconds = (performance.now() - started) / 1_000;
    const hwmMiB = memoryOf(agent.pid)?.hwmMiB ?? NaN;
    const hwmOverBudgetPlusIdle = budgetMiB === null ? null : hwmMiB / (budgetMiB + baselineRssMiB);
    log(
      `  → RSS idle ${baselineRssMiB.toFixed(1)} MiB, peak at ${options.checks} in flight ${peakRssAtFullMiB?.toFixed(1) ?? 'n/a'} MiB, ` +
        `peak ${peakRssMiB.toFixed(1)} MiB, VmHWM ${hwmMiB.toFixed(1)} MiB` +
        (budgetMiB === null ? '' : `; budget ${budgetMiB.toFixed(0)} MiB, VmHWM ÷ (budget + idle) = ${hwmOverBudgetPlusIdle?.toFixed(2)}`) +
        `; heartbeat inFlight max ${maxHeartbeatInFlight}, reserved max ${maxReserved === null ? 'n/a' : `${(maxReserved / MiB).toFixed(0)} MiB`}; ` +
        `target held ${maxTargetOpen} requests at once; ${results} results in ${totalSeconds.toFixed(1)} s${stoppedEarly ? ' (sampling stopped there)' : ''}`,
    );
    return {
      checks: options.checks,
      concurrency: options.checks,
      holdMs: options.holdMs,
      requestsPerCheck: 2,
      bodyBytes: options.bodyBytes ?? null,
      budgetMiB: budgetMiB === null ? null : round(budgetMiB, 1),
      maxReservedMiB: maxReserved === null ? null : round(maxReserved / MiB, 1),
      baselineRssMiB: round(baselineRssMiB, 1),
      peakRssAtFullMiB: peakRssAtFullMiB === null ? null : round(peakRssAtFullMiB, 1),
      peakRssMiB: round(peakRssMiB, 1),
      hwmMiB: round(hwmMiB, 1),
      hwmOverBudgetPlusIdle: hwmOverBudgetPlusIdle === null ? null : round(hwmOverBudgetPlusIdle, 2),
      maxHeartbeatInFlight,
      beatsAtFull,
      maxTargetOpen,
      totalSeconds: round(totalSeconds, 2),
      results,
      stoppedEarly,
    };
  } finally {
    // Checks still waiting for memory are handed back at once; those probing finish.
    await agent.stop(10_000);
    await checks.close();
    await target.stop();
  }
}

function numberOrNull(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
