import { readRedisTarget, type ClusterRedisTarget, type RedisTarget, type SingleRedisTarget } from '@crosscheck/contract';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeSecretsKey } from '../secrets/secret-box';
import { ConfigError } from './config-error';
import { formatDuration, parseDuration } from './duration';

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The Standard Webhooks retry schedule: the wait before each attempt of a delivery (the first
 * right away), 8 attempts over 27 h 35 min. Waits on an open circuit come on top and cost no attempt.
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '0,5s,5m,30m,2h,5h,10h,10h';
/** {@link DEFAULT_WEBHOOK_RETRY_SCHEDULE} in ms. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** Consecutive failed attempts to one endpoint that open its circuit. */
export const DEFAULT_WEBHOOK_CIRCUIT_THRESHOLD = 5;
/** How long an open circuit waits before one probe attempt; doubles after each failed probe (up to 16 times this). */
export const DEFAULT_WEBHOOK_CIRCUIT_COOLDOWN_MS = 60_000;
/** An endpoint failing continuously (no success at all) for this long is disabled. */
export const DEFAULT_WEBHOOK_DISABLE_AFTER_MS = 5 * 86_400_000;
/** How long one webhook delivery attempt may take, connection through response headers and body (ms). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Requests a minute one API token may make (all coordinators together); 0 turns the limit off. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** Requests a minute from one client address, with a token or without (all coordinators together); 0 turns the limit off. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE_PER_ADDRESS = 1_200;

/** `true`/`false` (also 1/0, yes/no, on/off); anything else is an error naming the value. */
const booleanVariable = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim().toLowerCase();
      if (text === undefined) return fallback;
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off'].includes(text)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${value}"` });
      return z.NEVER;
    });

/** A duration with a unit (`500ms`, `5s`, `30m`, `2h`, `5d`) within `[minMs, maxMs]`, in ms. */
const durationVariable = (fallback: string, minMs: number, maxMs: number) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (typeof ms === 'string') ctx.addIssue({ code: 'custom', message: `must be a duration: ${ms}` });
      else if (ms < minMs || ms > maxMs) ctx.addIssue({ code: 'custom', message: `must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, got ${formatDuration(ms)}` });
      else return ms;
      return z.NEVER;
    });

/** Most attempts a webhook retry schedule may list, and the longest wait between two. */
const MAX_RETRY_SCHEDULE_ATTEMPTS = 50;
const MAX_RETRY_SCHEDULE_STEP_MS = 30 * 86_400_000;

/** `WEBHOOK_RETRY_SCHEDULE`: comma-separated waits before each attempt, e.g. `0,5s,5m,30m,2h,5h,10h,10h`. */
const retryScheduleVariable = z
  .string()
  .default(DEFAULT_WEBHOOK_RETRY_SCHEDULE)
  .transform((value, ctx) => {
    const parts = value.split(',');
    const steps: number[] = [];
    for (const [index, part] of parts.entries()) {
      const ms = parseDuration(part);
      if (typeof ms === 'string') {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: ${ms}; write the wait before each attempt, e.g. 0,5s,5m,30m,2h,5h,10h,10h` });
        return z.NEVER;
      }
      if (ms > MAX_RETRY_SCHEDULE_STEP_MS) {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: at most 30d between two attempts` });
        return z.NEVER;
      }
      steps.push(ms);
    }
    if (steps.length > MAX_RETRY_SCHEDULE_ATTEMPTS) {
      ctx.addIssue({ code: 'custom', message: `lists ${steps.length} attempts; at most ${MAX_RETRY_SCHEDULE_ATTEMPTS}` });
      return z.NEVER;
    }
    return steps;
  });
/**
 * Who creates the Redis ACL users of the regions' agents: `auto`, the coordinator (its Redis user
 * needs the `ACL` command; without it, it falls back to `manual` per answer); `manual`, the operator,
 * from the `ACL SETUSER` line the API answers with.
 */
export const REGION_ACL_MODES = ['auto', 'manual'] as const;
/** How often the regions' ACL users are checked on every Redis node and re-created where missing. */
export const DEFAULT_REGION_ACL_RECONCILE_INTERVAL_MS = 30_000;

/** How often maintenance windows are looked at for occurrences that started or ended (`maintenance.*` events). */
export const DEFAULT_MAINTENANCE_EVENTS_INTERVAL_MS = 15_000;

/** Regions the registry holds at most (created by operators or named by monitors). */
export const DEFAULT_MAX_REGIONS = 64;
/**
 * Bytes of stored results per monitor (the records' JSON). A healthy monitor never reaches it (its
 * repeated `up` results are stored compact: 1,000 take about 130 KB); it bounds a failing one,
 * whose every result is stored in full (1-2 KiB ordinarily, up to 16 KiB): its raw history is
 * hours, not days, which is what rollups, not raw results, are for.
 */
export const DEFAULT_RESULT_HISTORY_MAX_BYTES = 1024 * 1024;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How long rollups per minute are kept: the 1h and 24h uptime windows read them. */
export const DEFAULT_ROLLUP_MINUTE_RETENTION_MS = 48 * HOUR_MS;
/** How long rollups per hour are kept: the 7d, 30d and 90d windows read them. */
export const DEFAULT_ROLLUP_HOUR_RETENTION_MS = 90 * DAY_MS;
/** How long rollups per UTC day are kept: the 365d window reads them. */
export const DEFAULT_ROLLUP_DAY_RETENTION_MS = 400 * DAY_MS;

/**
 * Uptime and latency rollups: whether rounds write them, and how long each tier keeps them (ms).
 * A retention is at least the longest window read from its tier (24 h, 90 d, 365 d), so that no
 * window the API offers is ever cut short.
 */
export interface RollupSettings {
  enabled: boolean;
  minuteRetentionMs: number;
  hourRetentionMs: number;
  dayRetentionMs: number;
}

/** What {@link CoordinatorConfig.rollups} means when left out (configs built in code). */
export const DEFAULT_ROLLUP_SETTINGS: RollupSettings = {
  enabled: true,
  minuteRetentionMs: DEFAULT_ROLLUP_MINUTE_RETENTION_MS,
  hourRetentionMs: DEFAULT_ROLLUP_HOUR_RETENTION_MS,
  dayRetentionMs: DEFAULT_ROLLUP_DAY_RETENTION_MS,
};

/**
 * The coordinator's environment, validated once at boot. This file is the only place that reads
 * `process.env`; everything else receives the typed {@link CoordinatorConfig}.
 */
const environmentSchema = z.object({
  // REDIS_URL, REDIS_CLUSTER_NODES, REDIS_USERNAME, REDIS_PASSWORD: read by readRedisTarget (libs/contract).
  PORT: integer(0, 65_535).default(3000),
  // 0.0.0.0 so the API is reachable from outside a container; set 127.0.0.1 on a shared host.
  HOST: z.string().min(1).default('0.0.0.0'),
  API_TOKEN: z
    .string({ error: 'is required: the bearer token that protects /v1 (at least 16 characters)' })
    .min(16, 'must be at least 16 characters'),
  SECRETS_KEY: z
    .string({ error: 'is required: 32 random bytes, base64, e.g. `openssl rand -base64 32` (encrypts secrets at rest)' })
    .refine((value) => decodeSecretsKey(value) !== null, 'must be 32 bytes, base64 encoded, e.g. `openssl rand -base64 32`'),
  // Comma-separated previous keys: values sealed under them still open while they are re-sealed.
  SECRETS_KEY_PREVIOUS: z
    .string()
    .refine(
      (value) => value.split(',').every((part) => decodeSecretsKey(part) !== null),
      'must be a comma-separated list of 32-byte base64 keys',
    )
    .optional(),
  MIN_INTERVAL_SECONDS: integer(1, 86_400).default(10),
  ROUND_GRACE_MS: integer(0, 600_000).default(5_000),
  RESULT_HISTORY_MAX: integer(1, 1_000_000).default(1_000),
  RESULT_HISTORY_DAYS: integer(1, 3_650).default(7),
  // At least 64 KiB: a few results at the 16 KiB cap of one stored result.
  RESULT_HISTORY_MAX_BYTES: integer(64 * 1024, 1024 * 1024 * 1024).default(DEFAULT_RESULT_HISTORY_MAX_BYTES),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  WEBHOOK_RETRY_SCHEDULE: retryScheduleVariable,
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(DEFAULT_WEBHOOK_TIMEOUT_MS),
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000).default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  RATE_LIMIT_PER_MINUTE_PER_ADDRESS: integer(0, 1_000_000).default(DEFAULT_RATE_LIMIT_PER_MINUTE_PER_ADDRESS),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanVariable(false),
  WEBHOOK_CIRCUIT_THRESHOLD: integer(1, 1_000).default(DEFAULT_WEBHOOK_CIRCUIT_THRESHOLD),
  WEBHOOK_CIRCUIT_COOLDOWN: durationVariable('1m', 10, 86_400_000),
  WEBHOOK_DISABLE_AFTER: durationVariable('5d', 1_000, 365 * 86_400_000),
  MAX_REGIONS: integer(1, 10_000).default(DEFAULT_MAX_REGIONS),
  // AGENT_REDIS_URL, AGENT_REDIS_CLUSTER_NODES: read by readAgentRedis below.
  REGION_ACL: z.enum(REGION_ACL_MODES, { error: 'must be auto (the coordinator creates each region’s ACL user) or manual (it prints the ACL SETUSER to run)' }).default('auto'),
  REGION_ACL_RECONCILE_INTERVAL: durationVariable('30s', 1_000, 3_600_000),
  MAINTENANCE_EVENTS_INTERVAL: durationVariable('15s', 100, 300_000),
  REMINDERS_INTERVAL: durationVariable('15s', 100, 300_000),
  REMINDER_MIN_INTERVAL: durationVariable('1m', 1_000, 86_400_000),
  // Unset: http://127.0.0.1:<PORT>, which only this machine can open; set it to the address people reach.
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the absolute http:// or https:// address people open the coordinator at (https://crosscheck.example)' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  // Unset: /metrics is open, as Prometheus targets usually are (reach it over a private network).
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (the bearer token Prometheus sends to /metrics)').optional(),
  // Unset: the monorepo's apps/web/dist, and a coordinator without a build says so at / and in its log.
  DASHBOARD_DIR: z
    .string()
    .refine((dir) => existsSync(join(dir, 'index.html')), 'must be a directory holding a build of the dashboard (index.html); build it with `npm run build`')
    .optional(),
  // Off: rounds write no rollups (uptime and series answer zeros); what the bench compares against.
  ROLLUPS: booleanVariable(true),
  ROLLUP_MINUTE_RETENTION: durationVariable('48h', DAY_MS, 30 * DAY_MS),
  ROLLUP_HOUR_RETENTION: durationVariable('90d', 90 * DAY_MS, 730 * DAY_MS),
  ROLLUP_DAY_RETENTION: durationVariable('400d', 365 * DAY_MS, 3_650 * DAY_MS),
});

/** Everything the coordinator needs to know about its environment, typed and checked. */
export interface CoordinatorConfig {
  /** `REDIS_URL` (one Redis) or `REDIS_CLUSTER_NODES` (a Redis Cluster): see `readRedisTarget`. */
  redis: RedisTarget;
  port: number;
  host: string;
  apiToken: string;
  /** Key (base64 of 32 bytes) that encrypts secrets at rest (AES-256-GCM). */
  secretsKey: string;
  /** Earlier keys (base64), still accepted for reading while values are re-sealed under {@link secretsKey}. */
  secretsKeyPrevious?: string[];
  /** Smallest `intervalSeconds` a monitor may ask for. */
  minIntervalSeconds: number;
  /** Added to a monitor's timeout to give a round's deadline: time for the agent and the queues. */
  roundGraceMs: number;
  /** Results kept per monitor (approximately: Redis trims streams by whole nodes). */
  resultHistoryMax: number;
  /** Results older than this many days are trimmed from a monitor's history. */
  resultHistoryDays: number;
  /**
   * Bytes of stored results per monitor (the records' JSON), oldest trimmed first; besides the
   * count and the age. {@link DEFAULT_RESULT_HISTORY_MAX_BYTES} when left out (configs built in code).
   */
  resultHistoryMaxBytes?: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * The wait before each attempt of a webhook delivery (ms; the length is the number of attempts).
   * The webhook settings are optional so that configs built in code (tests) may leave them out;
   * the `DEFAULT_WEBHOOK_*` values apply then ({@link DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS} here).
   */
  webhookRetryScheduleMs?: readonly number[];
  /** Time limit of one webhook delivery attempt (ms); {@link DEFAULT_WEBHOOK_TIMEOUT_MS} when left out. */
  webhookTimeoutMs?: number;
  /** Requests a minute per API token, shared by every coordinator on the Redis; 0: unlimited. {@link DEFAULT_RATE_LIMIT_PER_MINUTE} when left out. */
  rateLimitPerMinute?: number;
  /** Requests a minute per client address, any route, token or not; 0: unlimited. {@link DEFAULT_RATE_LIMIT_PER_MINUTE_PER_ADDRESS} when left out. */
  rateLimitPerMinutePerAddress?: number;
  /** Whether webhooks may target loopback and private addresses (never link-local or metadata ones). Default `false`. */
  webhookAllowPrivateTargets?: boolean;
  /** Consecutive failed attempts that open an endpoint's circuit ({@link DEFAULT_WEBHOOK_CIRCUIT_THRESHOLD}). */
  webhookCircuitThreshold?: number;
  /** First cool-down of an open circuit, ms ({@link DEFAULT_WEBHOOK_CIRCUIT_COOLDOWN_MS}). */
  webhookCircuitCooldownMs?: number;
  /** An endpoint failing continuously this long (ms) is disabled ({@link DEFAULT_WEBHOOK_DISABLE_AFTER_MS}). */
  webhookDisableAfterMs?: number;
  /** Regions the registry may hold; {@link DEFAULT_MAX_REGIONS} when left out. */
  maxRegions?: number;
  /**
   * Where agents reach Redis, without credentials (`AGENT_REDIS_URL`, or `AGENT_REDIS_CLUSTER_NODES`
   * on a cluster); the coordinator's own address (credentials dropped) when left out.
   */
  agentRedis?: SingleRedisTarget | ClusterRedisTarget;
  /** `REGION_ACL`: who creates the regions' ACL users ({@link REGION_ACL_MODES}); `auto` when left out. */
  regionAcl?: (typeof REGION_ACL_MODES)[number];
  /** How often the regions' ACL users are reconciled on every node (ms); {@link DEFAULT_REGION_ACL_RECONCILE_INTERVAL_MS} when left out. */
  regionAclReconcileIntervalMs?: number;
  /** `MAINTENANCE_EVENTS_INTERVAL`: how often windows are looked at for `maintenance.started` / `.ended` (ms); {@link DEFAULT_MAINTENANCE_EVENTS_INTERVAL_MS} when left out. */
  maintenanceEventsIntervalMs?: number;
  /** `REMINDERS_INTERVAL`: how often open incidents are looked at for reminders and escalations due (ms); 15 s when left out. */
  remindersIntervalMs?: number;
  /** `REMINDER_MIN_INTERVAL`: the shortest reminder interval or escalation wait a policy may ask for (ms); 1 min when left out. */
  reminderMinIntervalMs?: number;
  /** `PUBLIC_URL`: the address people open the coordinator at, for the links notifications carry (no trailing slash). */
  publicUrl?: string;
  /**
   * `METRICS_TOKEN`: when set, `GET /metrics` needs `Authorization: Bearer <it>` (Prometheus'
   * `authorization` scrape setting); unset, `/metrics` is open. Apart from the API's tokens: a
   * scraper's credential reaches the metrics and nothing else.
   */
  metricsToken?: string;
  /**
   * `DASHBOARD_DIR`: the built dashboard (`apps/web/dist`) served at `/`; the monorepo's own build
   * next to the coordinator when left out (a missing build is logged, and `/` says how to build it).
   */
  dashboardDir?: string;
  /** How often check jobs past their deadline are swept from the regions' queues (ms); 5 s when left out (tests shorten it). */
  checkSweepIntervalMs?: number;
  /**
   * `ROLLUPS` (on/off) and `ROLLUP_MINUTE_RETENTION`, `ROLLUP_HOUR_RETENTION`, `ROLLUP_DAY_RETENTION`
   * (durations); {@link DEFAULT_ROLLUP_SETTINGS} when left out.
   */
  rollups?: RollupSettings;
}

/**
 * Validates an environment into a {@link CoordinatorConfig}.
 * Throws {@link ConfigError} naming every variable at fault.
 */
export function parseCoordinatorConfig(environment: Readonly<Record<string, string | undefined>>): CoordinatorConfig {
  // Empty strings count as unset, the way `FOO= node main.js` is usually meant.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  const redis = readRedisTarget(present);
  const agentRedis = 'target' in redis ? readAgentRedis(present, redis.target) : { issues: [] };
  if (!parsed.success || 'issues' in redis || 'issues' in agentRedis) {
    throw new ConfigError([
      ...('issues' in redis ? redis.issues : []),
      ...('issues' in agentRedis ? agentRedis.issues : []),
      ...(parsed.success ? [] : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message }))),
    ]);
  }
  const env = parsed.data;
  return {
    redis: redis.target,
    port: env.PORT,
    host: env.HOST,
    apiToken: env.API_TOKEN,
    secretsKey: env.SECRETS_KEY.trim(),
    ...(env.SECRETS_KEY_PREVIOUS !== undefined ? { secretsKeyPrevious: env.SECRETS_KEY_PREVIOUS.split(',').map((key) => key.trim()) } : {}),
    minIntervalSeconds: env.MIN_INTERVAL_SECONDS,
    roundGraceMs: env.ROUND_GRACE_MS,
    resultHistoryMax: env.RESULT_HISTORY_MAX,
    resultHistoryDays: env.RESULT_HISTORY_DAYS,
    resultHistoryMaxBytes: env.RESULT_HISTORY_MAX_BYTES,
    logLevel: env.LOG_LEVEL,
    webhookRetryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    rateLimitPerMinutePerAddress: env.RATE_LIMIT_PER_MINUTE_PER_ADDRESS,
    webhookAllowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    webhookCircuitThreshold: env.WEBHOOK_CIRCUIT_THRESHOLD,
    webhookCircuitCooldownMs: env.WEBHOOK_CIRCUIT_COOLDOWN,
    webhookDisableAfterMs: env.WEBHOOK_DISABLE_AFTER,
    maxRegions: env.MAX_REGIONS,
    ...('target' in agentRedis && agentRedis.target !== undefined ? { agentRedis: agentRedis.target } : {}),
    regionAcl: env.REGION_ACL,
    regionAclReconcileIntervalMs: env.REGION_ACL_RECONCILE_INTERVAL,
    maintenanceEventsIntervalMs: env.MAINTENANCE_EVENTS_INTERVAL,
    remindersIntervalMs: env.REMINDERS_INTERVAL,
    reminderMinIntervalMs: env.REMINDER_MIN_INTERVAL,
    ...(env.PUBLIC_URL !== undefined ? { publicUrl: env.PUBLIC_URL } : {}),
    ...(env.METRICS_TOKEN !== undefined ? { metricsToken: env.METRICS_TOKEN } : {}),
    ...(env.DASHBOARD_DIR !== undefined ? { dashboardDir: env.DASHBOARD_DIR } : {}),
    rollups: {
      enabled: env.ROLLUPS,
      minuteRetentionMs: env.ROLLUP_MINUTE_RETENTION,
      hourRetentionMs: env.ROLLUP_HOUR_RETENTION,
      dayRetentionMs: env.ROLLUP_DAY_RETENTION,
    },
  };
}

/**
 * `AGENT_REDIS_URL` (one Redis, or one address in front of a Sentinel's master) or
 * `AGENT_REDIS_CLUSTER_NODES` (a cluster): the address agents reach Redis at when it is not the
 * coordinator's own (another host name, a proxy, a NAT). Without credentials: each region's agents
 * get their own user, put in by the coordinator.
 */
function readAgentRedis(
  environment: Readonly<Record<string, string | undefined>>,
  own: RedisTarget,
): { target: SingleRedisTarget | ClusterRedisTarget | undefined } | { issues: { variable: string; message: string }[] } {
  const url = environment['AGENT_REDIS_URL']?.trim();
  const nodes = environment['AGENT_REDIS_CLUSTER_NODES']?.trim();
  if (url && nodes) return { issues: [{ variable: 'AGENT_REDIS_URL', message: 'and AGENT_REDIS_CLUSTER_NODES cannot both be set: give the one that matches the coordinator’s Redis' }] };
  if (!url && !nodes) return { target: undefined };
  if (url) {
    if (own.mode === 'cluster') return { issues: [{ variable: 'AGENT_REDIS_URL', message: 'is for one Redis; the coordinator’s Redis is a cluster: set AGENT_REDIS_CLUSTER_NODES' }] };
    const read = readRedisTarget({ REDIS_URL: url });
    if ('issues' in read || read.target.mode !== 'single') return { issues: [{ variable: 'AGENT_REDIS_URL', message: 'must be a redis:// or rediss:// URL with a host' }] };
    const parsed = new URL(read.target.url);
    if (parsed.username !== '' || parsed.password !== '') {
      return { issues: [{ variable: 'AGENT_REDIS_URL', message: 'must carry no credentials: each region’s agents get a user of their own' }] };
    }
    return { target: read.target };
  }
  if (own.mode !== 'cluster') return { issues: [{ variable: 'AGENT_REDIS_CLUSTER_NODES', message: 'is for a Redis Cluster; the coordinator’s Redis is not one: set AGENT_REDIS_URL' }] };
  const read = readRedisTarget({ REDIS_CLUSTER_NODES: nodes });
  if ('issues' in read) return { issues: read.issues.map((issue) => ({ variable: 'AGENT_REDIS_CLUSTER_NODES', message: issue.message })) };
  if (read.target.mode !== 'cluster' || read.target.username !== undefined || read.target.password !== undefined) {
    return { issues: [{ variable: 'AGENT_REDIS_CLUSTER_NODES', message: 'must carry no credentials: each region’s agents get a user of their own' }] };
  }
  return { target: read.target };
}

/** Reads and validates this process's environment. */
export function loadCoordinatorConfig(): CoordinatorConfig {
  return parseCoordinatorConfig(process.env);
}

