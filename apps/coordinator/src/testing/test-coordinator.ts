import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { LOG_LEVELS } from '../config/coordinator-config';
import type { Clock } from '../core/clock';
import { createCoordinatorApp } from '../create-coordinator-app';
import { createRootLogger } from '../logging/create-root-logger';
import { generateSecretsKey } from '../secrets/secret-box';

/** The Redis tests run against: `REDIS_URL`, or the local one. */
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A coordinator app listening on 127.0.0.1 on a free port, for tests. */
export interface TestCoordinator {
  app: INestApplication;
  baseUrl: string;
  token: string;
  config: CoordinatorConfig;
  /** `fetch` on the app with the bearer token (unless `headers.authorization` is given). */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** A unique name for this test's regions, safe as a region name. */
export function randomRegion(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * What a test may set of a coordinator's config; `redisUrl` is a shorthand for `redis: {mode: 'single', url}`,
 * and `clock` replaces the wall clock (see `Clock`).
 */
export type TestCoordinatorOptions = Partial<CoordinatorConfig> & { redisUrl?: string; clock?: Clock };

/** Starts a coordinator on the test Redis. `LOG_LEVEL` in the environment turns its logs on. */
export async function startTestCoordinator(options: TestCoordinatorOptions = {}): Promise<TestCoordinator> {
  const level = process.env['LOG_LEVEL'];
  const { redisUrl, clock, ...overrides } = options;
  const config: CoordinatorConfig = {
    redis: { mode: 'single', url: redisUrl ?? TEST_REDIS_URL },
    port: 0,
    host: '127.0.0.1',
    apiToken: `test-token-${randomBytes(12).toString('hex')}`,
    secretsKey: generateSecretsKey(),
    minIntervalSeconds: 1,
    roundGraceMs: 500,
    resultHistoryMax: 1_000,
    resultHistoryDays: 7,
    // Test files run at once against one Redis, all from 127.0.0.1: they would share one address
    // limit. High enough never to refuse them, low enough that the limiter still counts every request.
    rateLimitPerMinute: 100_000,
    rateLimitPerMinutePerAddress: 100_000,
    // Test receivers listen on loopback.
    webhookAllowPrivateTargets: true,
    // The shared test Redis holds the regions of every suite running at once; suites about the cap set their own.
    maxRegions: 1_000,
    logLevel: (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as CoordinatorConfig['logLevel']) : 'silent',
    ...overrides,
  };
  const app = await createCoordinatorApp(config, createRootLogger(config), clock);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    token: config.apiToken,
    config,
    request: (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${config.apiToken}`);
      if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    close: () => app.close(),
  };
}
