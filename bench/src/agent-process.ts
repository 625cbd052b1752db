import { agentKey } from '@crosscheck/contract';
import { join } from 'node:path';
import { logTail, startProcess, waitFor, type Managed } from './processes';
import type { BenchRedis } from './redis-server';

/** Where the repository is: bench/dist/*.js → ../.. */
export const REPO_ROOT = join(__dirname, '..', '..');
/** The agent measured: this tree's build, or another's (`BENCH_AGENT_MAIN`, to compare two builds with one bench). */
export const AGENT_MAIN = process.env['BENCH_AGENT_MAIN'] ?? join(REPO_ROOT, 'apps', 'agent', 'dist', 'main.js');

/** Agent variables a caller's environment might set; the bench decides them. */
const AGENT_VARIABLES = ['RESOLVE', 'ALLOW_PRIVATE_TARGETS', 'ALLOW_LINK_LOCAL_TARGETS', 'SHUTDOWN_GRACE_MS', 'AGENT_MEMORY_BUDGET_BYTES', 'NODE_OPTIONS'];

export interface AgentOptions {
  redis: BenchRedis;
  region: string;
  agentId: string;
  concurrency: number;
  cpu: number | undefined;
  /** More agent variables (e.g. `AGENT_MEMORY_BUDGET_BYTES`); the agent's defaults otherwise. */
  env?: Record<string, string>;
  /** The agent's `main.js`; default {@link AGENT_MAIN}. */
  main?: string;
  /** Node options before the script (V8 flags, e.g. `--max-semi-space-size=32`). */
  nodeArgs?: string[];
}

/** Node options listed, space-separated, in an environment variable (none when unset). */
export function nodeArgsFrom(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter((arg) => arg !== '');
}

/**
 * Starts the real agent (`node apps/agent/dist/main.js`) and waits for its first heartbeat, i.e.
 * until it is connected and consuming.
 */
export async function startAgent(options: AgentOptions): Promise<Managed> {
  const main = options.main ?? AGENT_MAIN;
  // BENCH_AGENT_NODE_ARGS: node options for every agent the bench starts (e.g. a V8 flag to try).
  const nodeArgs = options.nodeArgs ?? nodeArgsFrom('BENCH_AGENT_NODE_ARGS');
  const agent = startProcess({
    name: `agent-${options.region}`,
    command: process.execPath,
    // BENCH_AGENT_CPU_PROF=<dir> writes a V8 CPU profile of each agent there when it exits.
    args: process.env['BENCH_AGENT_CPU_PROF'] ? [...nodeArgs, '--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_AGENT_CPU_PROF']}`, main]
      : [...nodeArgs, main],
    env: {
      REDIS_URL: options.redis.url,
      REGION: options.region,
      AGENT_ID: options.agentId,
      CONCURRENCY: String(options.concurrency),
      LOG_LEVEL: 'warn',
      // Loopback targets are "private" to the address policy (allowed by default; said explicitly here).
      ALLOW_PRIVATE_TARGETS: 'true',
      SHUTDOWN_GRACE_MS: '5000',
      ...options.env,
    },
    unset: AGENT_VARIABLES.filter((name) => name !== 'ALLOW_PRIVATE_TARGETS' && name !== 'SHUTDOWN_GRACE_MS' && options.env?.[name] === undefined),
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
  });
  const key = agentKey(options.region, options.agentId);
  let exitedWith: number | string | undefined;
  void agent.exited.then((code) => (exitedWith = code));
  const state = await waitFor(
    'the agent heartbeat',
    async () => {
      if (exitedWith !== undefined) return 'exited' as const;
      return (await options.redis.client.exists(key)) === 1 ? ('up' as const) : undefined;
    },
    20_000,
    50,
  ).catch((error: unknown) => (error as Error).message);
  if (state !== 'up') throw new Error(`agent did not start (${exitedWith ?? state}):\n${logTail(agent)}`);
  return agent;
}
