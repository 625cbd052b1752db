import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPercent, cpuSnapshot, freePort, logTail, makeTempDir, sleep, startProcess, waitFor, type CpuSnapshot } from './processes';
import { round } from './stats';
import type { Target } from './target';
import type { TargetStats } from './target-server';

/** Debian's binary of Prometheus's blackbox_exporter, and the HTTP load generator that drives it. */
export const BLACKBOX_BINARY = 'prometheus-blackbox-exporter';
export const WRK_BINARY = 'wrk';

/** Where blackbox_exporter listens: its own loopback address, so its port cannot clash with the target's. */
const BLACKBOX_HOST = '127.0.0.3';

/**
 * The `http_2xx` module as blackbox_exporter's own example configuration writes it, over IPv4 (the
 * target is an IPv4 loopback literal). It builds a new HTTP client per probe: a fresh connection
 * each, as the agent's probe and the raw baseline open one.
 */
const BLACKBOX_CONFIG = `modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
`;

export interface BlackboxOptions {
  concurrency: number;
  /** CPU of blackbox_exporter (the agent's); the driver runs on `driverCpu`, with the target. */
  cpu: number | undefined;
  driverCpu: number | undefined;
  warmupSeconds: number;
  windowSeconds: number;
  /** As the raw load and the agent's jobs: paths `/health/m<k>` for k below this. */
  paths: number;
}

export interface BlackboxResult {
  concurrency: number;
  windowSeconds: number;
  /** Probes per second over the window, counted by the target (one request per probe). */
  probesPerSecond: number;
  /** `/probe` requests per second wrk completed over its whole run (warm-up included), as a cross-check. */
  wrkRequestsPerSecond: number | null;
  /** wrk's socket errors and non-2xx answers (blackbox answers 200 even for a failed probe: see `sampleSuccess`). */
  wrkErrors: number | null;
  /** Whether sample probes before and after the run said `probe_success 1`. */
  sampleSuccess: boolean;
  version: string;
  cpuPercent: Record<string, number>;
}

/** Why the blackbox comparison cannot run here, or `undefined` when it can. */
export function blackboxUnavailable(): string | undefined {
  const missing = [BLACKBOX_BINARY, WRK_BINARY].filter((binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).error !== undefined);
  return missing.length ? `${missing.join(' and ')} not installed (npm run bench installs them: scripts/install-system-packages.sh bench)` : undefined;
}

/**
 * Prometheus's blackbox_exporter probing `target` through its `http_2xx` module, pinned alone to
 * the agent's core, driven by `wrk` at `concurrency` concurrent `/probe` requests from the other
 * core. Probes per second are counted at the target over a window after a warm-up; CPU is read
 * from /proc at the window's ends.
 */
export async function runBlackbox(target: Target, options: BlackboxOptions): Promise<BlackboxResult> {
  const dir = makeTempDir('crosscheck-bench-blackbox-');
  const configFile = join(dir, 'blackbox.yml');
  writeFileSync(configFile, BLACKBOX_CONFIG);
  const port = await freePort(BLACKBOX_HOST);
  const origin = `http://${BLACKBOX_HOST}:${port}`;
  const exporter = startProcess({
    name: 'blackbox-exporter',
    command: BLACKBOX_BINARY,
    args: [`--config.file=${configFile}`, `--web.listen-address=${BLACKBOX_HOST}:${port}`, '--log.level=warn'],
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
  });
  try {
    const probeUrl = (k: number): string => `${origin}/probe?module=http_2xx&target=${encodeURIComponent(`${target.origin}/health/m${k}`)}`;
    await waitFor('blackbox_exporter to listen', async () => ((await fetch(`${origin}/-/healthy`)).ok ? true : undefined), 10_000, 100).catch(
      (error: unknown) => {
        throw new Error(`${(error as Error).message}:\n${logTail(exporter)}`);
      },
    );
    const before = await probeSucceeds(probeUrl(0));

    const script = join(dir, 'probe.lua');
    writeFileSync(script, wrkScript(target.origin, options.paths));
    const seconds = Math.ceil(options.warmupSeconds + options.windowSeconds + 2);
    const driver = startProcess({
      name: 'wrk-blackbox',
      command: WRK_BINARY,
      args: ['-t1', `-c${options.concurrency}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, `${origin}/probe`],
      ...(options.driverCpu !== undefined ? { cpu: options.driverCpu } : {}),
    });
    const pids = { blackbox: exporter.pid, target: target.process.pid, wrk: driver.pid };
    await sleep(options.warmupSeconds * 1_000);
    const mark = (): { cpu: CpuSnapshot; target: Promise<TargetStats> } => ({ cpu: cpuSnapshot(pids), target: target.stats() });
    const from = mark();
    await sleep(options.windowSeconds * 1_000);
    const to = mark();
    const code = await driver.exited;
    if (code !== 0) throw new Error(`wrk exited with ${code}:\n${logTail(driver)}`);
    const [targetFrom, targetTo] = await Promise.all([from.target, to.target]);
    const wall = (to.cpu.at - from.cpu.at) / 1_000;
    const after = await probeSucceeds(probeUrl(1));
    const report = logTail(driver, 30);
    return {
      concurrency: options.concurrency,
      windowSeconds: round(wall, 2),
      probesPerSecond: round((targetTo.requests - targetFrom.requests) / wall),
      wrkRequestsPerSecond: numberAfter(report, /Requests\/sec:\s+([\d.]+)/),
      wrkErrors: wrkErrorsOf(report),
      sampleSuccess: before && after,
      version: exporterVersion(),
      cpuPercent: cpuPercent(from.cpu, to.cpu),
    };
  } finally {
    await exporter.stop(3_000);
  }
}

/** A wrk script cycling the probed path over `/health/m0..m<paths-1>`, as the agent's jobs and the raw load do. */
function wrkScript(targetOrigin: string, paths: number): string {
  const prefix = encodeURIComponent(`${targetOrigin}/health/m`);
  return [
    'local k = 0',
    'request = function()',
    `  k = (k + 1) % ${paths}`,
    `  return wrk.format("GET", "/probe?module=http_2xx&target=${prefix}" .. k)`,
    'end',
    '',
  ].join('\n');
}

async function probeSucceeds(url: string): Promise<boolean> {
  const response = await fetch(url);
  return response.ok && /^probe_success 1$/m.test(await response.text());
}

function numberAfter(text: string, pattern: RegExp): number | null {
  const match = pattern.exec(text);
  return match ? round(Number(match[1])) : null;
}

/** "Socket errors: connect 0, read 0, write 0, timeout 0" and "Non-2xx or 3xx responses: N", summed. */
function wrkErrorsOf(report: string): number {
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(report);
  return (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
}

function exporterVersion(): string {
  const result = spawnSync(BLACKBOX_BINARY, ['--version'], { encoding: 'utf8' });
  return /version ([^\s]+)/.exec(`${result.stdout}${result.stderr}`)?.[1] ?? 'unknown';
}
