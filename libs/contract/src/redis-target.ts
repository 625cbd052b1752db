/**
 * Which Redis a process talks to, read the same way by the coordinator and the agent:
 *
 * - `REDIS_URL=redis://[user:password@]host:port[/db]` (or `rediss://`): one Redis server.
 * - `REDIS_CLUSTER_NODES=host:port,host:port,...`: a Redis Cluster (or Valkey cluster), reached
 *   through any of these seed nodes (the client learns the rest from the cluster). Each item may
 *   also be a URL (`redis://user:password@host:port`, `rediss://` for TLS), the form an operator can
 *   paste from a single-node setup; the credentials of every item that has some must agree.
 *   `REDIS_USERNAME` / `REDIS_PASSWORD` give them otherwise.
 *
 * Exactly one of `REDIS_URL` and `REDIS_CLUSTER_NODES` is set. Errors name what is wrong and never
 * repeat a password.
 */

/** One Redis server. */
export interface SingleRedisTarget {
  mode: 'single';
  url: string;
}

/** A Redis Cluster, by its seed nodes. */
export interface ClusterRedisTarget {
  mode: 'cluster';
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget = SingleRedisTarget | ClusterRedisTarget;

/** The variables a Redis target is read from (empty strings count as unset). */
export interface RedisTargetEnvironment {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
}

/** A problem with one variable of a Redis target. */
export interface RedisTargetIssue {
  variable: keyof RedisTargetEnvironment;
  message: string;
}

/** At most this many seed nodes: a cluster is found from a few; a longer list is a mistake. */
const MAX_SEED_NODES = 64;

/** Reads the target, or the issues that keep it from being read (never both). */
export function readRedisTarget(environment: RedisTargetEnvironment): { target: RedisTarget } | { issues: RedisTargetIssue[] } {
  const url = nonEmpty(environment.REDIS_URL);
  const nodes = nonEmpty(environment.REDIS_CLUSTER_NODES);
  if (url !== undefined && nodes !== undefined) {
    return { issues: [{ variable: 'REDIS_CLUSTER_NODES', message: 'set REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both' }] };
  }
  if (nodes !== undefined) return readCluster(nodes, nonEmpty(environment.REDIS_USERNAME), nonEmpty(environment.REDIS_PASSWORD));
  if (url === undefined) {
    return {
      issues: [{ variable: 'REDIS_URL', message: 'is required (e.g. redis://127.0.0.1:6379), or REDIS_CLUSTER_NODES (e.g. 10.0.0.1:6379,10.0.0.2:6379) for a Redis Cluster' }],
    };
  }
  if (!isRedisUrl(url)) return { issues: [{ variable: 'REDIS_URL', message: 'must be a redis:// or rediss:// URL with a host' }] };
  return { target: { mode: 'single', url } };
}

/** What to print of a target: its addresses, never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.mode === 'single') return redactUrl(target.url);
  const user = target.username !== undefined ? `${target.username}@` : '';
  return `cluster ${user}${target.nodes.map((node) => `${node.host}:${node.port}`).join(',')}${target.tls ? ' (tls)' : ''}`;
}

function readCluster(value: string, username: string | undefined, password: string | undefined): { target: ClusterRedisTarget } | { issues: RedisTargetIssue[] } {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const issues: RedisTargetIssue[] = [];
  if (items.length === 0) issues.push({ variable: 'REDIS_CLUSTER_NODES', message: 'names no node (e.g. 10.0.0.1:6379,10.0.0.2:6379)' });
  if (items.length > MAX_SEED_NODES) issues.push({ variable: 'REDIS_CLUSTER_NODES', message: `names ${items.length} nodes; at most ${MAX_SEED_NODES} seed nodes` });
  const nodes: ClusterRedisTarget['nodes'] = [];
  const credentials = new Set<string>();
  const schemes = new Set<string>();
  for (const [index, item] of items.entries()) {
    const parsed = parseNode(item);
    if (typeof parsed === 'string') {
      issues.push({ variable: 'REDIS_CLUSTER_NODES', message: `node ${index + 1} ${parsed}` });
      continue;
    }
    nodes.push({ host: parsed.host, port: parsed.port });
    schemes.add(parsed.tls ? 'rediss' : 'redis');
    if (parsed.username !== undefined || parsed.password !== undefined) credentials.add(JSON.stringify([parsed.username ?? null, parsed.password ?? null]));
  }
  if (schemes.size > 1) issues.push({ variable: 'REDIS_CLUSTER_NODES', message: 'mixes redis:// and rediss:// nodes; a cluster is reached one way' });
  if (credentials.size > 1) issues.push({ variable: 'REDIS_CLUSTER_NODES', message: 'gives different credentials to different nodes; a cluster has one set of users' });
  if (credentials.size === 1 && (username !== undefined || password !== undefined)) {
    issues.push({ variable: 'REDIS_USERNAME', message: 'and REDIS_PASSWORD cannot be set when REDIS_CLUSTER_NODES carries credentials' });
  }
  if (issues.length > 0) return { issues };
  const [fromNodes] = [...credentials].map((json) => JSON.parse(json) as [string | null, string | null]);
  const user = fromNodes ? (fromNodes[0] ?? undefined) : username;
  const secret = fromNodes ? (fromNodes[1] ?? undefined) : password;
  return {
    target: {
      mode: 'cluster',
      nodes,
      ...(user !== undefined ? { username: user } : {}),
      ...(secret !== undefined ? { password: secret } : {}),
      tls: schemes.has('rediss'),
    },
  };
}

interface ParsedNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
}

function parseNode(item: string): ParsedNode | string {
  if (item.includes('://')) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      return 'is not a URL (expected host:port or redis://[user:password@]host:port)';
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `has scheme ${url.protocol}; expected redis:// or rediss://`;
    if (url.hostname === '') return 'has no host';
    if (url.pathname !== '' && url.pathname !== '/') return 'names a database; a Redis Cluster has only database 0';
    const port = url.port === '' ? 6379 : Number(url.port);
    return {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password !== '' ? { password: decodeURIComponent(url.password) } : {}),
      tls: url.protocol === 'rediss:',
    };
  }
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(item);
  if (!match) return `"${item.slice(0, 100)}" is not host:port`;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return `has port ${port}; expected 1-65535`;
  return { host: (match[1] ?? match[2]) as string, port, tls: false };
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable)';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
