import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseCoordinatorConfig } from './coordinator-config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const minimal = { REDIS_URL: 'redis://127.0.0.1:6379', API_TOKEN: 'a-token-of-16-chars', SECRETS_KEY: KEY };

describe('parseCoordinatorConfig', () => {
  it('applies the defaults', () => {
    expect(parseCoordinatorConfig(minimal)).toEqual({
      redis: { mode: 'single', url: 'redis://127.0.0.1:6379' },
      port: 3000,
      maintenanceEventsIntervalMs: 15_000,
      remindersIntervalMs: 15_000,
      reminderMinIntervalMs: 60_000,
      host: '0.0.0.0',
      apiToken: 'a-token-of-16-chars',
      secretsKey: KEY,
      minIntervalSeconds: 10,
      roundGraceMs: 5_000,
      resultHistoryMax: 1_000,
      resultHistoryDays: 7,
      resultHistoryMaxBytes: 1024 * 1024,
      logLevel: 'info',
      webhookRetryScheduleMs: [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      webhookTimeoutMs: 10_000,
      rateLimitPerMinute: 600,
      rateLimitPerMinutePerAddress: 1_200,
      webhookAllowPrivateTargets: false,
      webhookCircuitThreshold: 5,
      webhookCircuitCooldownMs: 60_000,
      webhookDisableAfterMs: 5 * 86_400_000,
      maxRegions: 64,
      regionAcl: 'auto',
      regionAclReconcileIntervalMs: 30_000,
      rollups: { enabled: true, minuteRetentionMs: 48 * 3_600_000, hourRetentionMs: 90 * 86_400_000, dayRetentionMs: 400 * 86_400_000 },
    });
  });

  it('reads where agents reach Redis and who manages their ACL users', () => {
    expect(parseCoordinatorConfig({ ...minimal, AGENT_REDIS_URL: 'rediss://redis.example:6380/2', REGION_ACL: 'manual', REGION_ACL_RECONCILE_INTERVAL: '5s' })).toMatchObject({
      agentRedis: { mode: 'single', url: 'rediss://redis.example:6380/2' },
      regionAcl: 'manual',
      regionAclReconcileIntervalMs: 5_000,
    });
    const cluster = { API_TOKEN: minimal.API_TOKEN, SECRETS_KEY: KEY, REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2:6379' };
    expect(parseCoordinatorConfig({ ...cluster, AGENT_REDIS_CLUSTER_NODES: 'redis-a.example:7000,redis-b.example:7000' }).agentRedis).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'redis-a.example', port: 7000 },
        { host: 'redis-b.example', port: 7000 },
      ],
      tls: false,
    });
  });

  it.each([
    { env: { AGENT_REDIS_URL: 'redis://user:secret@redis.example:6379' }, message: /must carry no credentials/ },
    { env: { AGENT_REDIS_URL: 'http://redis.example' }, message: /redis:\/\/ or rediss:\/\// },
    { env: { AGENT_REDIS_CLUSTER_NODES: 'a:1,b:2' }, message: /coordinator’s Redis is not one: set AGENT_REDIS_URL/ },
    { env: { AGENT_REDIS_URL: 'redis://a:1', AGENT_REDIS_CLUSTER_NODES: 'a:1' }, message: /cannot both be set/ },
    { env: { REGION_ACL: 'sometimes' }, message: /must be auto .* or manual/ },
    { env: { REGION_ACL_RECONCILE_INTERVAL: '10ms' }, message: /between 1s and 1h, got 10ms/ },
    { env: { ROLLUP_MINUTE_RETENTION: '2h' }, message: /between 1d and 30d, got 2h/ },
    { env: { ROLLUP_HOUR_RETENTION: '30d' }, message: /between 90d and 730d, got 30d/ },
    { env: { ROLLUP_DAY_RETENTION: '20y' }, message: /is not a duration/ },
    { env: { ROLLUPS: 'sometimes' }, message: /must be true or false/ },
  ])('refuses $env with a message naming the variable', ({ env, message }) => {
    let error: unknown;
    try {
      parseCoordinatorConfig({ ...minimal, ...env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toHaveLength(1);
    expect(Object.keys(env)).toContain(issues[0]!.variable);
    expect(issues[0]!.message).toMatch(message);
    expect((error as ConfigError).message).not.toContain('secret');
  });

  it('refuses agent cluster nodes that carry credentials, and AGENT_REDIS_URL for a cluster', () => {
    const cluster = { API_TOKEN: minimal.API_TOKEN, SECRETS_KEY: KEY, REDIS_CLUSTER_NODES: '10.0.0.1:6379' };
    expect(() => parseCoordinatorConfig({ ...cluster, AGENT_REDIS_CLUSTER_NODES: 'redis://u:p@a:1' })).toThrow(/AGENT_REDIS_CLUSTER_NODES must carry no credentials/);
    expect(() => parseCoordinatorConfig({ ...cluster, AGENT_REDIS_URL: 'redis://a:1' })).toThrow(/AGENT_REDIS_URL is for one Redis; .* set AGENT_REDIS_CLUSTER_NODES/);
  });

  it('protects /metrics with METRICS_TOKEN only when it is set, and says how long it must be', () => {
    expect(parseCoordinatorConfig(minimal).metricsToken).toBeUndefined();
    expect(parseCoordinatorConfig({ ...minimal, METRICS_TOKEN: 'scrape-token-0123456' }).metricsToken).toBe('scrape-token-0123456');
    expect(() => parseCoordinatorConfig({ ...minimal, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it('serves the dashboard from DASHBOARD_DIR when it holds a build, and refuses one that does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-config-dashboard-'));
    try {
      expect(parseCoordinatorConfig(minimal).dashboardDir).toBeUndefined();
      expect(() => parseCoordinatorConfig({ ...minimal, DASHBOARD_DIR: dir })).toThrow(/DASHBOARD_DIR must be a directory holding a build of the dashboard \(index\.html\)/);
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      expect(parseCoordinatorConfig({ ...minimal, DASHBOARD_DIR: dir }).dashboardDir).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads every variable', () => {
    const config = parseCoordinatorConfig({
      ...minimal,
      PORT: '3999',
      HOST: '127.0.0.1',
      MIN_INTERVAL_SECONDS: '1',
      ROUND_GRACE_MS: '250',
      RESULT_HISTORY_MAX: '50',
      RESULT_HISTORY_DAYS: '1',
      RESULT_HISTORY_MAX_BYTES: '131072',
      LOG_LEVEL: 'warn',
      WEBHOOK_RETRY_SCHEDULE: '0, 250ms,1.5s,2m,1h,1d',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_CIRCUIT_THRESHOLD: '3',
      WEBHOOK_CIRCUIT_COOLDOWN: '250ms',
      WEBHOOK_DISABLE_AFTER: '2h',
    });
    expect(config).toMatchObject({ port: 3999, host: '127.0.0.1', minIntervalSeconds: 1, roundGraceMs: 250, resultHistoryMax: 50, resultHistoryDays: 1, logLevel: 'warn' });
    expect(config).toMatchObject({
      webhookRetryScheduleMs: [0, 250, 1_500, 120_000, 3_600_000, 86_400_000],
      webhookTimeoutMs: 2_000,
      webhookAllowPrivateTargets: true,
      webhookCircuitThreshold: 3,
      webhookCircuitCooldownMs: 250,
      webhookDisableAfterMs: 7_200_000,
    });
    expect(parseCoordinatorConfig({ ...minimal, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE_PER_ADDRESS: '50' })).toMatchObject({
      rateLimitPerMinute: 0,
      rateLimitPerMinutePerAddress: 50,
    });
    expect(parseCoordinatorConfig({ ...minimal, MAX_REGIONS: '8' }).maxRegions).toBe(8);
    expect(config).toMatchObject({ resultHistoryMaxBytes: 131_072 });
  });

  it('reads the rollups switch and their retentions', () => {
    expect(parseCoordinatorConfig({ ...minimal, ROLLUPS: 'off', ROLLUP_MINUTE_RETENTION: '3d', ROLLUP_HOUR_RETENTION: '180d', ROLLUP_DAY_RETENTION: '730d' }).rollups).toEqual({
      enabled: false,
      minuteRetentionMs: 3 * 86_400_000,
      hourRetentionMs: 180 * 86_400_000,
      dayRetentionMs: 730 * 86_400_000,
    });
  });

  it('reads previous secrets keys for rotation', () => {
    const old = Buffer.alloc(32, 1).toString('base64');
    expect(parseCoordinatorConfig({ ...minimal, SECRETS_KEY_PREVIOUS: ` ${old} ` }).secretsKeyPrevious).toEqual([old]);
  });

  it.each([
    { env: { API_TOKEN: minimal.API_TOKEN, SECRETS_KEY: KEY }, variable: 'REDIS_URL' },
    { env: { ...minimal, REDIS_URL: 'http://localhost:6379' }, variable: 'REDIS_URL' },
    { env: { REDIS_URL: minimal.REDIS_URL, SECRETS_KEY: KEY }, variable: 'API_TOKEN' },
    { env: { REDIS_URL: minimal.REDIS_URL, API_TOKEN: minimal.API_TOKEN }, variable: 'SECRETS_KEY' },
    { env: { ...minimal, SECRETS_KEY: 'not base64!' }, variable: 'SECRETS_KEY' },
    { env: { ...minimal, SECRETS_KEY: Buffer.alloc(16).toString('base64') }, variable: 'SECRETS_KEY' },
    { env: { ...minimal, SECRETS_KEY_PREVIOUS: `${KEY},short` }, variable: 'SECRETS_KEY_PREVIOUS' },
    { env: { ...minimal, API_TOKEN: 'short' }, variable: 'API_TOKEN' },
    { env: { ...minimal, API_TOKEN: '' }, variable: 'API_TOKEN' },
    { env: { ...minimal, PORT: 'http' }, variable: 'PORT' },
    { env: { ...minimal, PORT: '70000' }, variable: 'PORT' },
    { env: { ...minimal, MIN_INTERVAL_SECONDS: '0' }, variable: 'MIN_INTERVAL_SECONDS' },
    { env: { ...minimal, RESULT_HISTORY_MAX_BYTES: '1000' }, variable: 'RESULT_HISTORY_MAX_BYTES' },
    { env: { ...minimal, LOG_LEVEL: 'loud' }, variable: 'LOG_LEVEL' },
    { env: { ...minimal, WEBHOOK_RETRY_SCHEDULE: '0,5,5m' }, variable: 'WEBHOOK_RETRY_SCHEDULE' },
    { env: { ...minimal, WEBHOOK_RETRY_SCHEDULE: '0,5s,,5m' }, variable: 'WEBHOOK_RETRY_SCHEDULE' },
    { env: { ...minimal, WEBHOOK_RETRY_SCHEDULE: '0,5 minutes' }, variable: 'WEBHOOK_RETRY_SCHEDULE' },
    { env: { ...minimal, WEBHOOK_RETRY_SCHEDULE: '0,-5s' }, variable: 'WEBHOOK_RETRY_SCHEDULE' },
    { env: { ...minimal, WEBHOOK_RETRY_SCHEDULE: '0,31d' }, variable: 'WEBHOOK_RETRY_SCHEDULE' },
    { env: { ...minimal, WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 51 }, () => '1s').join(',') }, variable: 'WEBHOOK_RETRY_SCHEDULE' },
    { env: { ...minimal, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe' }, variable: 'WEBHOOK_ALLOW_PRIVATE_TARGETS' },
    { env: { ...minimal, WEBHOOK_CIRCUIT_THRESHOLD: '0' }, variable: 'WEBHOOK_CIRCUIT_THRESHOLD' },
    { env: { ...minimal, WEBHOOK_CIRCUIT_COOLDOWN: '60' }, variable: 'WEBHOOK_CIRCUIT_COOLDOWN' },
    { env: { ...minimal, WEBHOOK_DISABLE_AFTER: '10ms' }, variable: 'WEBHOOK_DISABLE_AFTER' },
    { env: { ...minimal, WEBHOOK_TIMEOUT_MS: '50' }, variable: 'WEBHOOK_TIMEOUT_MS' },
    { env: { ...minimal, RATE_LIMIT_PER_MINUTE: '-1' }, variable: 'RATE_LIMIT_PER_MINUTE' },
    { env: { ...minimal, RATE_LIMIT_PER_MINUTE_PER_ADDRESS: 'many' }, variable: 'RATE_LIMIT_PER_MINUTE_PER_ADDRESS' },
    { env: { ...minimal, MAX_REGIONS: '0' }, variable: 'MAX_REGIONS' },
  ])('names $variable when it is wrong', ({ env, variable }) => {
    let error: unknown;
    try {
      parseCoordinatorConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable)).toEqual([variable]);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('says which entry of WEBHOOK_RETRY_SCHEDULE is wrong and what a good one looks like', () => {
    expect(() => parseCoordinatorConfig({ ...minimal, WEBHOOK_RETRY_SCHEDULE: '0,5s,5' })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE entry 3: "5" is not a duration .*e\.g\. 0,5s,5m,30m,2h,5h,10h,10h/,
    );
  });
});
