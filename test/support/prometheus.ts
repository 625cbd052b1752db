/**
 * A real Prometheus server for end-to-end suites (Debian's `prometheus`, installed by
 * `npm run -s setup`): its own config and TSDB in a temp directory, its web API on loopback only,
 * stopped by the suite. Only its HTTP API is used: targets and instant queries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { assertLoopback, freePort, waitUntil } from './net';

/** Where Debian's package puts the server. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

/** One scrape job: a loopback `host:port` serving `/metrics`, with a bearer token when it needs one. */
export interface ScrapeTarget {
  job: string;
  address: string;
  bearerToken?: string;
}

/** One series of an instant query's answer. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** A Prometheus server started by a suite. */
export interface PrometheusServer {
  readonly baseUrl: string;
  /** Waits until every job's target has been scraped successfully (`health: up`). */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  /** An instant PromQL query (`/api/v1/query`), as samples. */
  query(promql: string): Promise<PromSample[]>;
  /** The last lines of its log, for failure messages. */
  tail(lines?: number): string;
  /** SIGTERM (SIGKILL after 5 s), then its directory removed. */
  stop(): Promise<void>;
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

/** Starts Prometheus scraping `targets` every second. Throws, saying how to install it, when the binary is missing. */
export async function startPrometheus(targets: readonly ScrapeTarget[]): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BINARY)) {
    throw new Error(`${PROMETHEUS_BINARY} is missing: run \`npm run -s setup\` (it installs Debian's prometheus package for this test)`);
  }
  for (const target of targets) assertLoopback(target.address.split(':')[0] ?? '');
  const dir = mkdtempSync(join(tmpdir(), 'crosscheck-prometheus-'));
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: targets.map((target) => ({
      job_name: target.job,
      static_configs: [{ targets: [target.address] }],
      ...(target.bearerToken !== undefined ? { authorization: { type: 'Bearer', credentials: target.bearerToken } } : {}),
    })),
  };
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, stringify(config));
  const port = await freePort('127.0.0.1');
  const logFile = join(dir, 'prometheus.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const tail = (lines = 30) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`);
    const answer = (await response.json()) as ApiAnswer<T>;
    if (answer.status !== 'success') throw new Error(`prometheus ${path}: ${answer.error ?? response.status}`);
    return answer.data;
  };

  const ready = await waitUntil(
    'prometheus to be ready',
    async () => {
      if (exited) return 'exited';
      const response = await fetch(`${baseUrl}/-/ready`).catch(() => undefined);
      return response?.status === 200 ? 'ready' : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  if (ready === 'exited') throw new Error(`prometheus exited at startup:\n${tail()}`);

  return {
    baseUrl,
    tail,
    async waitForTargetsUp(timeoutMs = 30_000) {
      let last = '';
      await waitUntil(
        'every prometheus target up',
        async () => {
          const data = await api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>('/api/v1/targets?state=active');
          last = JSON.stringify(data.activeTargets.map((target) => ({ job: target.labels['job'], health: target.health, lastError: target.lastError })));
          const jobs = new Set(data.activeTargets.filter((target) => target.health === 'up').map((target) => target.labels['job']));
          return targets.every((target) => jobs.has(target.job)) ? true : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; targets: ${last}`);
      });
    },
    async query(promql) {
      const data = await api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
      return data.result.map((entry) => ({ metric: entry.metric, value: Number(entry.value[1]) }));
    },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
