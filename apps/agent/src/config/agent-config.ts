import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { parseResolveList, type ResolveOverride } from '@crosscheck/checks';
import { readRedisTarget, regionNameSchema, type RedisTarget } from '@crosscheck/contract';
import { z } from 'zod';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../check/body-budget';

/** The agent's configuration, validated once at boot. Nothing else in the agent reads the environment. */
export interface AgentConfig {
  /** `REDIS_URL` (one Redis) or `REDIS_CLUSTER_NODES` (a Redis Cluster): see `readRedisTarget`. */
  redis: RedisTarget;
  region: string;
  agentId: string;
  concurrency: number;
  /** Agent-level `host:port:address` overrides, applied to every probe of this agent. */
  resolve: ResolveOverride[];
  /**
   * `PROBE_DNS_SERVERS`: DNS servers (`ip`, `ip:port`, `[ipv6]:port`) the probes ask for A and
   * AAAA records instead of the system resolver; absent to use the system's.
   */
  dnsServers?: string[];
  allowPrivateTargets: boolean;
  allowLinkLocalTargets: boolean;
  shutdownGraceMs: number;
  /** Bytes of response bodies the agent's checks may hold at once (see `BodyBudget`). */
  memoryBudgetBytes: number;
  logLevel: LogLevel;
  /**
   * `METRICS_PORT` and `METRICS_HOST`: where the agent serves Prometheus metrics at `/metrics`;
   * absent when `METRICS_PORT` is unset (nothing is served, prom-client is not even loaded).
   */
  metrics?: { port: number; host: string };
}

/** `METRICS_HOST` when unset: every interface (see the schema). */
export const DEFAULT_METRICS_HOST = '0.0.0.0';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Characters safe in Redis keys, ACL patterns and BullMQ ids: no `:`, spaces or glob characters. */
const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Thrown when the environment is invalid; each line names a variable and what is wrong with it. */
export class AgentConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid agent configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'AgentConfigError';
  }
}

const booleanVariable = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${value}"` });
      return z.NEVER;
    });

const integerVariable = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

const environmentSchema = z.object({
  // REDIS_URL, REDIS_CLUSTER_NODES, REDIS_USERNAME, REDIS_PASSWORD: read by readRedisTarget (libs/contract).
  REGION: z.string({ error: 'is required (e.g. eu-west)' }).trim().pipe(regionNameSchema),
  AGENT_ID: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || value === '' || AGENT_ID_PATTERN.test(value), {
      message: 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
  // Checks wait on the network, not the CPU: hundreds in flight cost little.
  CONCURRENCY: integerVariable(200, 1, 5000),
  RESOLVE: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [];
      try {
        return parseResolveList(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message} (expected host:port:address[,...])` });
        return z.NEVER;
      }
    }),
  PROBE_DNS_SERVERS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const servers = value.split(',').map((entry) => entry.trim());
      const bad = servers.filter((entry) => !isDnsServer(entry));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${bad.map((entry) => JSON.stringify(entry)).join(', ')} ${bad.length === 1 ? 'is not a DNS server' : 'are not DNS servers'} (expected ip[:port][,...], e.g. 127.0.0.53:5353 or [::1]:53)`,
        });
        return z.NEVER;
      }
      return servers;
    }),
  ALLOW_PRIVATE_TARGETS: booleanVariable(true),
  ALLOW_LINK_LOCAL_TARGETS: booleanVariable(false),
  SHUTDOWN_GRACE_MS: integerVariable(15_000, 0, 600_000),
  // At least 4 MiB: what a monitor with the default 1 MiB cap and its bypass request reserves.
  AGENT_MEMORY_BUDGET_BYTES: integerVariable(DEFAULT_MEMORY_BUDGET_BYTES, 4 * 1024 * 1024, 2 ** 40),
  METRICS_PORT: integerVariable(0, 1, 65_535),
  // All interfaces, as Prometheus exporters do: setting METRICS_PORT is the opt-in to be scraped,
  // usually from another host or container. 127.0.0.1 keeps it to a local scraper or sidecar.
  METRICS_HOST: z.string().trim().min(1, 'must be an address to listen on, e.g. 0.0.0.0 or 127.0.0.1').optional(),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return 'info' as const;
      const level = LOG_LEVELS.find((known) => known === value);
      if (level === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"` });
        return z.NEVER;
      }
      return level;
    }),
});

/**
 * Reads and validates the agent's environment. Throws {@link AgentConfigError} naming every
 * variable at fault. `environment` defaults to the process's; tests pass their own.
 */
export function readAgentConfig(
  environment: Readonly<Record<string, string | undefined>> = process.env,
  defaults: { host: string; pid: number } = { host: hostname(), pid: process.pid },
): AgentConfig {
  const parsed = environmentSchema.safeParse(environment);
  const redis = readRedisTarget(environment);
  if (!parsed.success || 'issues' in redis) {
    throw new AgentConfigError([
      ...('issues' in redis ? redis.issues.map((issue) => `${issue.variable}: ${issue.message}`) : []),
      ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '(environment)')}: ${issue.message}`)),
    ]);
  }
  const env = parsed.data;
  return {
    redis: redis.target,
    region: env.REGION,
    agentId: env.AGENT_ID ? env.AGENT_ID : defaultAgentId(defaults.host, defaults.pid),
    concurrency: env.CONCURRENCY,
    resolve: env.RESOLVE,
    ...(env.PROBE_DNS_SERVERS ? { dnsServers: env.PROBE_DNS_SERVERS } : {}),
    allowPrivateTargets: env.ALLOW_PRIVATE_TARGETS,
    allowLinkLocalTargets: env.ALLOW_LINK_LOCAL_TARGETS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    memoryBudgetBytes: env.AGENT_MEMORY_BUDGET_BYTES,
    logLevel: env.LOG_LEVEL,
    ...(env.METRICS_PORT > 0 ? { metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST ?? DEFAULT_METRICS_HOST } } : {}),
  };
}

/** `ip`, `ipv4:port` or `[ipv6]:port`, as `Resolver#setServers` takes them, with a port from 1 to 65535. */
function isDnsServer(entry: string): boolean {
  if (isIP(entry) !== 0) return true;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(entry);
  if (!match) return false;
  const [, v6, v4, port] = match;
  const address = v6 ?? v4 ?? '';
  const portNumber = Number(port);
  return (v6 !== undefined ? isIP(address) === 6 : isIP(address) === 4) && portNumber >= 1 && portNumber <= 65_535;
}

/** `<hostname>-<pid>`, with anything unsafe in a Redis key replaced, so an odd host name cannot break the key layout. */
export function defaultAgentId(host: string, pid: number): string {
  const suffix = `-${pid}`;
  const safeHost = host
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 128 - suffix.length)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return `${safeHost || 'agent'}${suffix}`;
}


