import { agentKey, CHECK_QUEUE, regionPrefix, type CheckJob } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { startAgent } from './agent-process';
import type { Placement } from './agent-throughput';
import { addCheckJobs, benchRegion, resultsWaitKey } from './jobs';
import { logTail, memoryOf, sleep, waitForQuietMachine } from './processes';
import type { BenchRedis } from './redis-server';
import { round } from './stats';
import { startTarget } from './target';

export interface MemoryOptions {
  redis: BenchRedis;
  placement: Placement;
  checks: number;
  holdMs: number;
  log: (line: string) => void;
}

export interface MemoryResult {
  checks: number;
  concurrency: number;
  holdMs: number;
  /** Each check makes the default two requests (user's and cache-bypassing), so twice as many sockets. */
  requestsPerCheck: number;
  /** Idle agent, connected, after its first heartbeat and 2 s of calm (median of 10 samples). */
  baselineRssMiB: number;
  /** Highest VmRSS sampled (every 100 ms) while the heartbeat said ≥ 99% of the checks were in flight. */
  peakRssAtFullMiB: number | null;
  /** Highest VmRSS sampled at any time of the run. */
  peakRssMiB: number;
  /** The kernel's own peak (VmHWM) at the end: catches a spike between samples. */
  hwmMiB: number;
  maxHeartbeatInFlight: number;
  /** Heartbeats (every 2 s) that reported ≥ 99% in flight. */
  beatsAtFull: number;
  /** Most requests the target held open at once (should be checks × requestsPerCheck). */
  maxTargetOpen: number;
  /** From the first job queued until all results were delivered. */
  totalSeconds: number;
  results: number;
}

/**
 * The agent's memory with `checks` checks in flight at once: a fresh agent with CONCURRENCY =
 * checks, a target that holds every response `holdMs`, `checks` jobs queued at once.
 */
export async function agentMemory(options: MemoryOptions): Promise<MemoryResult> {
  const { redis, log } = options;
  await redis.flush();
  const region = benchRegion('mem');
  const agentId = 'bench-memory';
  const target = await startTarget('127.0.0.3', options.placement.infra);
  const checks = new Queue<CheckJob>(CHECK_QUEUE, { connection: redis.client, prefix: regionPrefix(region) });
  const agent = await startAgent({ redis, region, agentId, concurrency: options.checks, cpu: options.placement.client });
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
    log(`agent memory: baseline RSS ${baselineRssMiB.toFixed(1)} MiB; queueing ${options.checks} checks held ${options.holdMs} ms each`);

    await waitForQuietMachine(15_000, 15, log);
    const started = performance.now();
    // Distinct monitors (specs) per check, as in production: the spec cache holds them all.
    await addCheckJobs(checks, region, options.checks, (k) => ({ url: `${target.origin}/health/m${k}?hold=${options.holdMs}`, timeoutMs: 30_000 }), options.checks);
    let peakRssAtFullMiB: number | null = null;
    let peakRssMiB = 0;
    let maxHeartbeatInFlight = 0;
    let maxTargetOpen = 0;
    let lastBeat = '';
    let beatsAtFull = 0;
    const full = options.checks * 0.99;
    const giveUpAt = Date.now() + options.holdMs + 60_000;
    let results = 0;
    for (;;) {
      const memory = memoryOf(agent.pid);
      const [fields, stats, delivered] = await Promise.all([
        redis.client.hmget(agentKey(region, agentId), 'inFlight', 'lastBeat'),
        target.stats(),
        redis.client.llen(resultsWaitKey(region)),
      ]);
      const inFlight = Number(fields[0] ?? 0);
      if (fields[1] !== null && fields[1] !== undefined && fields[1] !== lastBeat) {
        lastBeat = fields[1];
        if (inFlight >= full) beatsAtFull += 1;
      }
      maxHeartbeatInFlight = Math.max(maxHeartbeatInFlight, inFlight);
      maxTargetOpen = Math.max(maxTargetOpen, stats.open);
      if (memory) {
        peakRssMiB = Math.max(peakRssMiB, memory.rssMiB);
        if (inFlight >= full) peakRssAtFullMiB = Math.max(peakRssAtFullMiB ?? 0, memory.rssMiB);
      }
      results = delivered;
      if (results >= options.checks) break;
      if (Date.now() > giveUpAt) throw new Error(`only ${results}/${options.checks} results:\n${logTail(agent)}`);
      await sleep(100);
    }
    const totalSeconds = (performance.now() - started) / 1_000;
    const hwmMiB = memoryOf(agent.pid)?.hwmMiB ?? NaN;
    log(
      `  → RSS baseline ${baselineRssMiB.toFixed(1)} MiB, peak at ${options.checks} in flight ${peakRssAtFullMiB?.toFixed(1) ?? 'n/a'} MiB, ` +
        `VmHWM ${hwmMiB.toFixed(1)} MiB; heartbeat inFlight max ${maxHeartbeatInFlight}; target held ${maxTargetOpen} requests`,
    );
    return {
      checks: options.checks,
      concurrency: options.checks,
      holdMs: options.holdMs,
      requestsPerCheck: 2,
      baselineRssMiB: round(baselineRssMiB, 1),
      peakRssAtFullMiB: peakRssAtFullMiB === null ? null : round(peakRssAtFullMiB, 1),
      peakRssMiB: round(peakRssMiB, 1),
      hwmMiB: round(hwmMiB, 1),
      maxHeartbeatInFlight,
      beatsAtFull,
      maxTargetOpen,
      totalSeconds: round(totalSeconds, 2),
      results,
    };
  } finally {
    await agent.stop(10_000);
    await checks.close();
    await target.stop();
  }
}
