/**
 * The CLI against REAL intermediaries that lie: with the origin dead, each of them still answers
 * `200`. A monitor that accepts any 200 calls all four "up"; Crosscheck must call them down and
 * say why.
 *
 * | intermediary                              | origin down, users get                       | expected cause          |
 * | ----------------------------------------- | -------------------------------------------- | ----------------------- |
 * | nginx proxy_cache + use_stale             | 200, the cached page, X-Cache-Status: STALE  | stale_cache             |
 * | Varnish ttl 1s / grace 1h                 | 200, the cached page, Age growing            | stale_cache             |
 * | HAProxy errorfile 503 as `HTTP/1.0 200`   | 200, HAProxy's stock 503 page                | lb_error_page (HAProxy) |
 * | nginx error_page 502 503 504 =200         | 200, nginx's stock 50x.html                  | lb_error_page (nginx)   |
 *
 * Needs `apt-get install nginx-light varnish haproxy` and a built CLI (`npm run -s build`).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { assertCliBuilt, describeRun, EXIT, runCli, type CliRun } from './support/cli';
import {
  haproxyErrorfile200,
  leakedIntermediaryProcesses,
  nginxCacheEdge,
  nginxErrorPage200,
  stopAllIntermediaries,
  varnishGraceEdge,
  type Intermediary,
  type IntermediaryOptions,
  type OriginAddress,
} from './support/intermediaries';
import { httpGet, waitUntil, type HttpResult } from './support/net';
import { startOrigin, type Origin } from './support/origin';

/** Loopback addresses of this file: origin and intermediary on different hosts, like in life. */
const ORIGIN_HOST = '127.0.0.61';
const EDGE_HOST = '127.0.0.62';

interface Scenario {
  name: string;
  start: (origin: OriginAddress, options: IntermediaryOptions) => Promise<Intermediary>;
  /** What the intermediary answers once the origin is down: a 200 that is a lie. */
  isLie: (response: HttpResult, origin: Origin) => boolean;
  /** The intermediary has recovered: the origin's own, fresh content again. */
  isRecovered: (response: HttpResult, origin: Origin) => boolean;
  cause: 'stale_cache' | 'lb_error_page';
  vendor?: RegExp;
}

const isOriginPage = (response: HttpResult, origin: Origin): boolean => response.status === 200 && response.body.includes(origin.marker);

const SCENARIOS: Scenario[] = [
  {
    name: 'nginx proxy_cache edge with proxy_cache_use_stale',
    start: nginxCacheEdge,
    isLie: (response, origin) => isOriginPage(response, origin) && response.headers['x-cache-status'] === 'STALE',
    isRecovered: (response, origin) => isOriginPage(response, origin) && !/^(STALE|UPDATING)$/.test(response.headers['x-cache-status'] ?? ''),
    cause: 'stale_cache',
  },
  {
    name: 'Varnish grace edge (ttl 1s, grace 1h)',
    start: varnishGraceEdge,
    // Older than the 1 s TTL: delivered from grace.
    isLie: (response, origin) => isOriginPage(response, origin) && Number(response.headers['age'] ?? '0') >= 2,
    isRecovered: (response, origin) => isOriginPage(response, origin) && Number(response.headers['age'] ?? '99') === 0,
    cause: 'stale_cache',
  },
  {
    name: 'HAProxy with errorfile 503 rewritten to HTTP/1.0 200 OK',
    start: haproxyErrorfile200,
    isLie: (response, origin) =>
      response.status === 200 && response.body.includes('No server is available to handle this request.') && !response.body.includes(origin.marker),
    isRecovered: isOriginPage,
    cause: 'lb_error_page',
    vendor: /haproxy/i,
  },
  {
    name: 'nginx proxy with error_page 502 503 504 =200 /50x.html',
    start: nginxErrorPage200,
    isLie: (response, origin) => response.status === 200 && response.body.includes('Faithfully yours, nginx.') && !response.body.includes(origin.marker),
    isRecovered: isOriginPage,
    cause: 'lb_error_page',
    vendor: /nginx/i,
  },
];

function expectStatus(run: CliRun, status: 'up' | 'down'): void {
  expect(run.report, describeRun(run)).toBeDefined();
  expect(run.report!.status, describeRun(run)).toBe(status);
  expect(run.exitCode, describeRun(run)).toBe(EXIT[status]);
}

describe('CLI against real intermediaries that answer 200 for a dead origin', () => {
  beforeAll(() => {
    assertCliBuilt();
  });

  afterAll(async () => {
    await stopAllIntermediaries();
    // Nothing may outlive the suite: no nginx worker, no varnish child, no haproxy.
    expect(leakedIntermediaryProcesses()).toEqual([]);
    // The same, asked of the OS: the intermediaries' run dirs (the run's shared Redis has its own).
    const pattern = 'crosscheck-e2e-(nginx|varnish|haproxy)';
    const pgrep = spawnSync('pgrep', ['-a', '-f', pattern], { encoding: 'utf8' });
    if (pgrep.error === undefined) expect(pgrep.stdout, `pgrep -f ${pattern} found processes of this suite`).toBe('');
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: up, then down with ${scenario.cause} while it answers 200, then up again`, { timeout: 30_000 }, async () => {
      // Cleanup runs whether the test passes or fails (and stopAllIntermediaries backs it up).
      const origin = await startOrigin({ host: ORIGIN_HOST });
      onTestFinished(() => origin.close());
      const edge = await scenario.start(origin, { host: EDGE_HOST });
      onTestFinished(() => edge.stop());
      const url = edge.url;
      const context = (): string => `\n--- ${scenario.name} ---\n${edge.output()}`;
      const waitFor = async <T>(description: string, probe: () => Promise<T | undefined>): Promise<T> => {
        try {
          return await waitUntil(description, probe, { timeoutMs: 10_000, intervalMs: 100 });
        } catch (error) {
          throw new Error(`${error instanceof Error ? error.message : String(error)}${context()}`);
        }
      };

      // Healthy origin: warm the edge, then the CLI says up.
      for (let i = 0; i < 2; i += 1) {
        const response = await httpGet(url);
        expect(isOriginPage(response, origin), `warm-up got ${response.status}: ${response.body.slice(0, 200)}${context()}`).toBe(true);
      }
      expectStatus(await runCli([url, '--json']), 'up');

      // The origin dies; the intermediary keeps answering 200.
      await origin.stop();
      const lie = await waitFor(`${scenario.name} to answer 200 with its lie`, async () => {
        const response = await httpGet(url);
        return scenario.isLie(response, origin) ? response : undefined;
      });
      expect(lie.status).toBe(200);

      const down = await runCli([url, '--json']);
      expectStatus(down, 'down');
      const causes = down.report!.causes.filter((cause) => cause.code === scenario.cause);
      expect(causes.length, `expected a ${scenario.cause} cause\n${describeRun(down)}`).toBeGreaterThan(0);
      if (scenario.vendor !== undefined) {
        const vendors = causes.map((cause) => cause.evidence['vendor']);
        expect(
          vendors.some((vendor) => typeof vendor === 'string' && scenario.vendor!.test(vendor)),
          `expected evidence.vendor matching ${String(scenario.vendor)}, got ${JSON.stringify(vendors)}\n${describeRun(down)}`,
        ).toBe(true);
      }

      // The origin comes back; once the intermediary has recovered, the CLI says up again.
      await origin.start();
      await waitFor(`${scenario.name} to serve the origin's fresh content again`, async () => {
        const response = await httpGet(url);
        return scenario.isRecovered(response, origin) ? response : undefined;
      });
      expectStatus(await runCli([url, '--json']), 'up');
    });
  }
});
