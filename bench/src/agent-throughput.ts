import { CHECK_QUEUE, regionPrefix, type CheckJob } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { join } from 'node:path';
import { startAgent } from './agent-process';
import { blackboxUnavailable, runBlackbox, type BlackboxResult } from './blackbox';
import { addCheckJobs, benchRegion, ResultCounter } from './jobs';
import { cpuPercent, cpuSnapshot, logTail, sleep, startProcess, waitForQuietMachine, type CpuSnapshot } from './processes';
import type { RawLoadMessage } from './raw-load';
import type { BenchRedis } from './redis-server';
import { cpuLine, round } from './stats';
import { startTarget, type Target } from './target';
import type { TargetStats } from './target-server';

/** Where things run: the client side (raw load or agent) alone on one core, the rest on the other. */
export interface Placement {
  client: number | undefined;
  infra: number | undefined;
}

export interface ThroughputOptions {
  redis: BenchRedis;
  placement: Placement;
  concurrency: number;
  rawWarmupMs: number;
  rawDurationMs: number;
  /** How long an agent run waits for a quieter machine before measuring anyway; default 20 s. */
  quietWaitMs?: number;
  /** Aim for a measured agent window about this long. */
  agentWindowSeconds: number;
  log: (line: string) => void;
}

export interface RawResult {
  concurrency: number;
  windowSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Requests the target answered per second over the same window (cross-check). */
  targetRequestsPerSecond: number;
  errors: number;
  errorSample?: string;
  cpuPercent: Record<string, number>;
}

export interface AgentRunResult {
  mode: 'no-bypass' | 'bypass';
  concurrency: number;
  /** HTTP requests one check makes against this target. */
  requestsPerCheck: number;
  jobs: number;
  windowChecks: number;
  windowSeconds: number;
  checksPerSecond: number;
  /** HTTP requests per second the target answered over the window. */
  targetRequestsPerSecond: number;
  warmupChecksPerSecond: number;
  failedJobs: number;
  /** Verdicts of a sample of the results (all should be `up`). */
  verdictSample: Record<string, number>;
  cpuPercent: Record<string, number>;
}

export interface ThroughputResult {
  /** Mean of the two raw runs. */
  raw: RawResult;
  /** The raw baseline runs before and after the agent runs (brackets them in time, so drift shows). */
  rawRuns: RawResult[];
  noBypass: AgentRunResult;
  bypass: AgentRunResult;
  /** agent checks/s (no bypass) ÷ raw requests/s: same HTTP requests per unit of work. */
  ratioNoBypass: number;
  /** agent HTTP requests/s with the bypass on (2 per check, target-counted) ÷ raw requests/s. */
  ratioBypassRequests: number;
  /**
   * CPU of the measured process per unit of work (µs per raw request, per agent check): robust to
   * a neighbour stealing part of the core, which lowers throughput but not the cost per check.
   */
  cpuMicrosPerRawRequest: number;
  cpuMicrosPerCheckNoBypass: number;
  cpuMicrosPerCheckBypass: number;
  /** cpuMicrosPerRawRequest ÷ cpuMicrosPerCheckNoBypass: the ratio at equal CPU. */
  ratioNoBypassAtEqualCpu: number;
  /** Prometheus's blackbox_exporter on the same core and target, or why it did not run. */
  blackbox: { ok: true; value: BlackboxResult } | { ok: false; skipped: string };
  /** Agent checks/s (1 request per check) ÷ blackbox probes/s, both alone on the same core. */
  ratioAgentToBlackbox: number | null;
  cpuMicrosPerBlackboxProbe: number | null;
  /** cpuMicrosPerBlackboxProbe ÷ cpuMicrosPerCheckNoBypass: the same comparison at equal CPU. */
  ratioAgentToBlackboxAtEqualCpu: number | null;
}

/** µs of CPU of `process` per unit, from a rate and that process's CPU share. */
function cpuMicrosPer(rate: number, cpu: Record<string, number>, process: string): number {
  const share = (cpu[process] ?? NaN) / 100;
  return round((share / rate) * 1_000_000, 1);
}

export async function agentThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const { log } = options;
  const rawRun = async (which: string): Promise<RawResult> => {
    log(`raw undici (${which}): ${options.concurrency} concurrent, fresh connection per request, ${options.rawDurationMs / 1_000} s window`);
    await waitForQuietMachine(20_000, 15, log);
    const result = await withTarget('127.0.0.2', options.placement, (target) => runRaw(target, options));
    log(`  → ${result.requestsPerSecond.toFixed(0)} req/s (cpu: ${cpuLine(result.cpuPercent)}; errors ${result.errors})`);
    return result;
  };
  const rawBefore = await rawRun('before the agent runs');
  const noBypass = await withTarget('127.0.0.2', options.placement, (target) => runAgent(target, 'no-bypass', options, rawBefore.requestsPerSecond));
  log(`  → agent no-bypass ${noBypass.checksPerSecond.toFixed(0)} checks/s (cpu: ${cpuLine(noBypass.cpuPercent)})`);
  const bypass = await withTarget('127.0.0.2', options.placement, (target) => runAgent(target, 'bypass', options, rawBefore.requestsPerSecond));
  log(`  → agent bypass ${bypass.checksPerSecond.toFixed(0)} checks/s = ${bypass.targetRequestsPerSecond.toFixed(0)} req/s (cpu: ${cpuLine(bypass.cpuPercent)})`);
  const blackbox = await blackboxRun(options);
  const rawAfter = await rawRun('after the agent runs');
  const raw = meanRaw(rawBefore, rawAfter);

  const cpuMicrosPerRawRequest = cpuMicrosPer(raw.requestsPerSecond, raw.cpuPercent, 'raw');
  const cpuMicrosPerCheckNoBypass = cpuMicrosPer(noBypass.checksPerSecond, noBypass.cpuPercent, 'agent');
  const cpuMicrosPerBlackboxProbe = blackbox.ok ? cpuMicrosPer(blackbox.value.probesPerSecond, blackbox.value.cpuPercent, 'blackbox') : null;
  return {
    raw,
    rawRuns: [rawBefore, rawAfter],
    noBypass,
    bypass,
    ratioNoBypass: round(noBypass.checksPerSecond / raw.requestsPerSecond, 3),
    ratioBypassRequests: round(bypass.targetRequestsPerSecond / raw.requestsPerSecond, 3),
    cpuMicrosPerRawRequest,
    cpuMicrosPerCheckNoBypass,
    cpuMicrosPerCheckBypass: cpuMicrosPer(bypass.checksPerSecond, bypass.cpuPercent, 'agent'),
    ratioNoBypassAtEqualCpu: round(cpuMicrosPerRawRequest / cpuMicrosPerCheckNoBypass, 3),
    blackbox,
    ratioAgentToBlackbox: blackbox.ok ? round(noBypass.checksPerSecond / blackbox.value.probesPerSecond, 3) : null,
    cpuMicrosPerBlackboxProbe,
    ratioAgentToBlackboxAtEqualCpu: cpuMicrosPerBlackboxProbe === null ? null : round(cpuMicrosPerBlackboxProbe / cpuMicrosPerCheckNoBypass, 3),
  };
}

/** CPU µs per check of two agent builds, measured alternately (A, B, A, B, …) with the same bench. */
export interface AgentPairResult {
  mains: [string, string];
  /** Per build, the CPU µs per check (no bypass) of each of its runs, in run order. */
  cpuMicrosPerCheck: [number[], number[]];
  /** Per build, the median of its runs. */
  medians: [number, number];
  /** Median of B ÷ median of A: below 1 means B spends less CPU per check. */
  ratioBToA: number;
  /** The `others` CPU share (processes the bench did not start) during each run, A and B interleaved. */
  othersPercent: number[];
}

/**
 * Before/after pairs: the no-bypass agent run (1 request per check) of build A, then of build B,
 * `rounds` times, without the raw and blackbox_exporter baselines. CPU µs per check is what to
 * compare on a shared machine; alternating spreads the neighbours' load over both builds.
 */
export async function agentCostPairs(
  options: ThroughputOptions & { mains: [string, string]; rounds: number; nodeArgs?: [string[], string[]] },
): Promise<AgentPairResult> {
  const { log, mains } = options;
  const costs: [number[], number[]] = [[], []];
  const othersPercent: number[] = [];
  for (let pass = 0; pass < options.rounds; pass += 1) {
    for (const which of [0, 1] as const) {
      const run = await withTarget('127.0.0.2', options.placement, (target) =>
        runAgent(target, 'no-bypass', options, 0, { main: mains[which], ...(options.nodeArgs ? { nodeArgs: options.nodeArgs[which] } : {}) }),
      );
      const cost = cpuMicrosPer(run.checksPerSecond, run.cpuPercent, 'agent');
      costs[which].push(cost);
      othersPercent.push(run.cpuPercent['others'] ?? NaN);
      log(
        `  → ${which === 0 ? 'A' : 'B'} run ${pass + 1}: ${cost} CPU µs per check, ${run.checksPerSecond.toFixed(0)} checks/s, verdicts ${JSON.stringify(run.verdictSample)}, ${run.failedJobs} failed (cpu: ${cpuLine(run.cpuPercent)})`,
      );
    }
  }
  const medians: [number, number] = [median(costs[0]), median(costs[1])];
  return { mains, cpuMicrosPerCheck: costs, medians, ratioBToA: round(medians[1] / medians[0], 3), othersPercent };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : round((sorted[middle - 1]! + sorted[middle]!) / 2, 1);
}

async function blackboxRun(options: ThroughputOptions): Promise<ThroughputResult['blackbox']> {
  const { log } = options;
  const unavailable = blackboxUnavailable();
  if (unavailable !== undefined) {
    log(`blackbox_exporter: skipped, ${unavailable}`);
    return { ok: false, skipped: unavailable };
  }
  log(`blackbox_exporter http_2xx: ${options.concurrency} concurrent /probe requests (wrk), fresh connection per probe, ${options.rawDurationMs / 1_000} s window`);
  await waitForQuietMachine(20_000, 15, log);
  const value = await withTarget('127.0.0.2', options.placement, (target) =>
    runBlackbox(target, {
      concurrency: options.concurrency,
      cpu: options.placement.client,
      driverCpu: options.placement.infra,
      warmupSeconds: options.rawWarmupMs / 1_000,
      windowSeconds: options.rawDurationMs / 1_000,
      paths: 500,
    }),
  ).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (typeof value === 'string') {
    log(`blackbox_exporter: FAILED: ${value}`);
    return { ok: false, skipped: `failed: ${value.split('\n')[0] ?? ''}` };
  }
  log(`  → ${value.probesPerSecond.toFixed(0)} probes/s (cpu: ${cpuLine(value.cpuPercent)}; wrk errors ${value.wrkErrors ?? 'n/a'}; sample probes ${value.sampleSuccess ? 'succeeded' : 'FAILED'})`);
  return { ok: true, value };
}

function meanRaw(a: RawResult, b: RawResult): RawResult {
  const cpu: Record<string, number> = {};
  for (const name of new Set([...Object.keys(a.cpuPercent), ...Object.keys(b.cpuPercent)])) {
    cpu[name] = round(((a.cpuPercent[name] ?? 0) + (b.cpuPercent[name] ?? 0)) / 2, 1);
  }
  return {
    concurrency: a.concurrency,
    windowSeconds: round(a.windowSeconds + b.windowSeconds, 2),
    requests: a.requests + b.requests,
    requestsPerSecond: round((a.requests + b.requests) / (a.windowSeconds + b.windowSeconds)),
    targetRequestsPerSecond: round((a.targetRequestsPerSecond + b.targetRequestsPerSecond) / 2),
    errors: a.errors + b.errors,
    ...(a.errorSample !== undefined || b.errorSample !== undefined ? { errorSample: a.errorSample ?? b.errorSample ?? '' } : {}),
    cpuPercent: cpu,
  };
}

/** A fresh target (its own port) per run, so no run inherits another's sockets in TIME_WAIT. */
async function withTarget<T>(host: string, placement: Placement, run: (target: Target) => Promise<T>): Promise<T> {
  const target = await startTarget(host, placement.infra);
  try {
    return await run(target);
  } finally {
    await target.stop();
  }
}

async function runRaw(target: Target, options: ThroughputOptions): Promise<RawResult> {
  const proc = startProcess({
    name: 'raw-load',
    command: process.execPath,
    args: [join(__dirname, 'raw-load.js')],
    env: {
      RAW_ORIGIN: target.origin,
      RAW_CONCURRENCY: String(options.concurrency),
      RAW_WARMUP_MS: String(options.rawWarmupMs),
      RAW_DURATION_MS: String(options.rawDurationMs),
    },
    ipc: true,
    ...(options.placement.client !== undefined ? { cpu: options.placement.client } : {}),
  });
  const pids = { raw: proc.pid, target: target.process.pid };
  let start: { cpu: CpuSnapshot; target: Promise<TargetStats> } | undefined;
  const end = await new Promise<{ message: Extract<RawLoadMessage, { type: 'window-end' }>; cpu: CpuSnapshot; target: Promise<TargetStats> }>(
    (resolve, reject) => {
      proc.child.on('message', (message: RawLoadMessage) => {
        if (message.type === 'window-start') start = { cpu: cpuSnapshot(pids), target: target.stats() };
        else resolve({ message, cpu: cpuSnapshot(pids), target: target.stats() });
      });
      void proc.exited.then((code) => reject(new Error(`raw load exited early (${code}):\n${logTail(proc)}`)));
    },
  );
  await proc.exited;
  if (!start) throw new Error('raw load never reported its window start');
  const [targetStart, targetEnd] = await Promise.all([start.target, end.target]);
  const seconds = end.message.seconds;
  return {
    concurrency: options.concurrency,
    windowSeconds: round(seconds, 2),
    requests: end.message.completed,
    requestsPerSecond: round(end.message.completed / seconds),
    targetRequestsPerSecond: round((targetEnd.requests - targetStart.requests) / ((end.cpu.at - start.cpu.at) / 1_000)),
    errors: end.message.errors,
    ...(end.message.errorSample !== undefined ? { errorSample: end.message.errorSample } : {}),
    cpuPercent: cpuPercent(start.cpu, end.cpu),
  };
}

const WARMUP_JOBS = 1_500;

async function runAgent(
  target: Target,
  mode: 'no-bypass' | 'bypass',
  options: ThroughputOptions,
  rawRate: number,
  build?: { main: string; nodeArgs?: string[] },
): Promise<AgentRunResult> {
  const { redis, log } = options;
  await redis.flush();
  const region = benchRegion(mode === 'bypass' ? 'bp' : 'nb');
  const requestsPerCheck = mode === 'bypass' ? 2 : 1;
  const checks = new Queue<CheckJob>(CHECK_QUEUE, { connection: redis.client, prefix: regionPrefix(region) });
  const counter = new ResultCounter(redis.client, region);
  const delivered = (): Promise<number> => counter.count();
  // As a user writes it: one request per check without the bypass, two with the default.
  const specFor = (k: number): Record<string, unknown> =>
    mode === 'bypass' ? { url: `${target.origin}/health/m${k}` } : { url: `${target.origin}/health/m${k}`, cacheBypass: false };

  const agent = await startAgent({
    redis,
    region,
    agentId: `bench-${mode}`,
    concurrency: options.concurrency,
    cpu: options.placement.client,
    ...build,
  });
  try {
    // Warm-up: JIT, connections, spec cache; also a first estimate of the rate.
    const warmStart = performance.now();
    await addCheckJobs(checks, region, WARMUP_JOBS, specFor);
    await waitUntil(async () => (await delivered()) >= WARMUP_JOBS, 120_000, 'warm-up results', () => logTail(agent));
    const warmRate = WARMUP_JOBS / ((performance.now() - warmStart) / 1_000);

    // The measured batch is queued while the queue is paused, so that feeding it costs nothing
    // during the window; its size aims at a window of about `agentWindowSeconds` between the 10%
    // and 90% marks, from the larger of the warm-up rate and the raw rate per check.
    const expectedRate = Math.max(warmRate * 1.3, Math.min(rawRate / requestsPerCheck, warmRate * 3));
    const jobs = clamp(Math.round((expectedRate * options.agentWindowSeconds) / 0.8 / 500) * 500, 4_000, 60_000);
    log(`agent ${mode}: warm-up ${warmRate.toFixed(0)} checks/s; measuring ${jobs} checks (${requestsPerCheck} request(s) each)`);
    await checks.pause();
    await addCheckJobs(checks, region, jobs, specFor);
    await waitForQuietMachine(options.quietWaitMs ?? 20_000, 15, log);
    const base = await delivered();
    const pids = { agent: agent.pid, target: target.process.pid, redis: redis.process.pid, bench: process.pid };
    type Mark = { at: number; done: number; cpu: CpuSnapshot; target: Promise<TargetStats> };
    let from: Mark | undefined;
    let to: Mark | undefined;
    await checks.resume();
    const giveUpAt = Date.now() + 30_000 + (jobs / Math.max(50, warmRate / 4)) * 1_000;
    for (;;) {
      const done = (await delivered()) - base;
      const mark = (): Mark => ({ at: performance.now(), done, cpu: cpuSnapshot(pids), target: target.stats() });
      if (!from && done >= jobs * 0.1) from = mark();
      if (!to && done >= jobs * 0.9) to = mark();
      if (done >= jobs) break;
      if (Date.now() > giveUpAt) throw new Error(`agent ${mode}: only ${done}/${jobs} results before giving up:\n${logTail(agent)}`);
      await sleep(50);
    }
    if (!from || !to) throw new Error('window marks missing');
    const [targetFrom, targetTo] = await Promise.all([from.target, to.target]);
    const seconds = (to.at - from.at) / 1_000;
    const counts = await checks.getJobCounts('failed');
    const verdictSample = counter.verdictSample;
    return {
      mode,
      concurrency: options.concurrency,
      requestsPerCheck,
      jobs,
      windowChecks: to.done - from.done,
      windowSeconds: round(seconds, 2),
      checksPerSecond: round((to.done - from.done) / seconds),
      targetRequestsPerSecond: round((targetTo.requests - targetFrom.requests) / seconds),
      warmupChecksPerSecond: round(warmRate),
      failedJobs: counts['failed'] ?? 0,
      verdictSample,
      cpuPercent: cpuPercent(from.cpu, to.cpu),
    };
  } finally {
    await agent.stop(10_000);
    await checks.close();
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string, context: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}:\n${context()}`);
    await sleep(50);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
