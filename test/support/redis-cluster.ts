/**
 * A real Redis Cluster for end-to-end suites: 3 masters and 3 replicas (by default), each a
 * `redis-server` in cluster mode on a free loopback port, created with
 * `redis-cli --cluster create --cluster-replicas 1` and awaited until every node says
 * `cluster_state:ok`, every node sees the same slot map, and every replica is in sync.
 *
 * Failover is quick on purpose: `cluster-node-timeout` is 1 s and a replica may always take over
 * (`cluster-replica-validity-factor 0`), so {@link TestRedisCluster.killMaster} followed by
 * {@link TestRedisCluster.waitForPromotion} takes a few seconds. Every node lives in one run dir of
 * the suites (see `makeRunDir`): a SIGKILLed test process leaves nothing the next run's sweep
 * does not find; `stop()` and the exit hook kill every node.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, sleep } from './net';
import { makeRunDir, resolveBinary } from './processes';
import { findRedisServerBinary, RedisServerProcess } from './redis-server';

/** Slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16_384;

/** A node as the cluster sees it (one line of `CLUSTER NODES`). */
export interface ClusterNodeView {
  /** The node id (40 hex digits). */
  readonly id: string;
  /** `127.0.0.1:port`. */
  readonly address: string;
  readonly port: number;
  readonly role: 'master' | 'replica';
  /** For a replica: the id of its master. */
  readonly masterId: string | undefined;
  /** Inclusive slot ranges it serves (masters). */
  readonly slots: ReadonlyArray<readonly [number, number]>;
  /** The view flags it `fail` or `fail?`. */
  readonly failing: boolean;
}

/** A master with the replicas that follow it. */
export interface ClusterMaster extends ClusterNodeView {
  readonly replicas: readonly ClusterNodeView[];
}

/** What {@link TestRedisCluster.killMaster} killed. */
export interface KilledMaster {
  readonly id: string;
  readonly address: string;
  readonly slots: ReadonlyArray<readonly [number, number]>;
  /** Addresses of its replicas when it died: one of them takes over. */
  readonly replicas: readonly string[];
}

/** A Redis Cluster the suite owns. */
export interface TestRedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,...`: every node, for `REDIS_CLUSTER_NODES`. */
  readonly nodes: string;
  /** The same as host/port pairs, for an ioredis `Cluster`. */
  readonly startupNodes: ReadonlyArray<{ host: string; port: number }>;
  /** The masters now (from a live node's view), with their replicas, in slot order. */
  masters(): Promise<ClusterMaster[]>;
  /** The master serving a slot (a number) or a key's slot (a string: `CLUSTER KEYSLOT`). */
  masterOf(slotOrKey: number | string): Promise<ClusterMaster>;
  /**
   * SIGKILLs a master: the one at an address (`127.0.0.1:port`), the one serving a slot (number)
   * or a key (string), or by default the one serving slot 0. Resolves once its port refuses.
   */
  killMaster(target?: number | string): Promise<KilledMaster>;
  /**
   * Resolves once a replica of `killed` (by default: of the last master killed) is master of its
   * slots and the cluster is ok and agreed on every running node; returns the new master.
   */
  waitForPromotion(killed?: KilledMaster, timeoutMs?: number): Promise<ClusterMaster>;
  /** Starts a killed node again on its port and dir; resolves once it has rejoined (a replica, in sync). */
  restartNode(address: string): Promise<void>;
  /**
   * Every node SIGTERMed, then started again on the same ports from its `nodes.conf` (and AOF
   * with `persistent`); resolves once the cluster is ok again. As a whole-cluster Redis restart.
   */
  restart(): Promise<void>;
  /** Every node SIGKILLed at once, as a crash of the whole cluster; they stay down until {@link TestRedisCluster.start}. */
  crash(): Promise<void>;
  /** Starts every stopped node again on its port and dir; resolves once the cluster is ok again. */
  start(): Promise<void>;
  /** Addresses of the nodes that are running. */
  runningNodes(): string[];
  /** Resolves once the cluster is ok, agreed and in sync on every running node (see the module comment). */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** Kills every node and removes the run dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** Masters (at least 3, as Redis Cluster needs a majority to fail over). Default 3. */
  masters?: number;
  /** Replicas per master. Default 1. */
  replicasPerMaster?: number;
  /** AOF with fsync on every write, so `restart()` and `restartNode()` keep the data. */
  persistent?: boolean;
  /** `cluster-node-timeout`, ms. Default 1,000: a dead master is failed over within seconds. */
  nodeTimeoutMs?: number;
  /** How long to wait for the cluster to be ready. Default 30 s. */
  readyTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Reading the cluster

/** Sends one command to one node over a fresh connection; rejects when it does not answer. */
export async function nodeCommand(port: number, command: string, ...args: Array<string | number>): Promise<unknown> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, connectTimeout: 1_000, commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command, ...args.map(String));
  } finally {
    client.disconnect();
  }
}

/** Parses `CLUSTER NODES`. */
export function parseClusterNodes(text: string): ClusterNodeView[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [id = '', addressField = '', flagsField = '', master = '-', , , , , ...slotFields] = line.split(' ');
      // `ip:port@cport[,hostname]`
      const address = addressField.split('@')[0] ?? '';
      const port = Number(address.slice(address.lastIndexOf(':') + 1));
      const flags = flagsField.split(',');
      const slots = slotFields
        .filter((field) => !field.startsWith('['))
        .map((field): [number, number] => {
          const [from, to] = field.split('-').map(Number);
          return [from ?? 0, to ?? from ?? 0];
        });
      return {
        id,
        address,
        port,
        role: flags.includes('master') ? 'master' : 'replica',
        masterId: master === '-' ? undefined : master,
        slots,
        failing: flags.includes('fail') || flags.includes('fail?'),
      } satisfies ClusterNodeView;
    });
}

/** Masters of a view that serve slots, with their replicas, in slot order. */
function mastersOf(view: readonly ClusterNodeView[]): ClusterMaster[] {
  return view
    .filter((node) => node.role === 'master' && node.slots.length > 0)
    .map((master) => ({ ...master, replicas: view.filter((node) => node.role === 'replica' && node.masterId === master.id) }))
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * The topology of a view as one comparable string: the slot map (`from-to=address`) and every
 * node's role (`address=master`, `address>masterAddress`).
 */
function topology(view: readonly ClusterNodeView[]): string {
  const slots = mastersOf(view)
    .flatMap((master) => master.slots.map(([from, to]) => ({ from, to, address: master.address })))
    .sort((a, b) => a.from - b.from)
    .map(({ from, to, address }) => `${from}-${to}=${address}`);
  const roles = view
    .filter((node) => !node.failing)
    .map((node) => (node.role === 'master' ? `${node.address}=master` : `${node.address}>${view.find((n) => n.id === node.masterId)?.address ?? '?'}`))
    .sort();
  return [...slots, ...roles].join(';');
}

/**
 * Why the cluster is not ready yet, as seen from the running nodes, or `undefined` when it is:
 * every running node says `cluster_state:ok`, knows every other running node as healthy, and has
 * the same topology (slot map and roles), whose slots are all served by running masters; every
 * running replica's link to its master is up and not syncing; and, when `shape` is given, there
 * are that many masters with that many replicas each.
 */
async function notReadyBecause(running: readonly number[], shape?: { masters: number; replicasPerMaster: number }): Promise<string | undefined> {
  const runningAddresses = new Set(running.map((port) => `127.0.0.1:${port}`));
  let reference: string | undefined;
  for (const port of running) {
    const info = String(await nodeCommand(port, 'CLUSTER', 'INFO'));
    const state = infoField(info, 'cluster_state');
    if (state !== 'ok') return `127.0.0.1:${port} says cluster_state:${state ?? '?'}`;
    const view = parseClusterNodes(String(await nodeCommand(port, 'CLUSTER', 'NODES')));
    for (const address of runningAddresses) {
      const node = view.find((n) => n.address === address);
      if (node === undefined) return `127.0.0.1:${port} does not know ${address} yet`;
      if (node.failing) return `127.0.0.1:${port} still flags ${address} as failing`;
    }
    const masters = mastersOf(view);
    const dead = masters.find((master) => !runningAddresses.has(master.address));
    if (dead !== undefined) return `127.0.0.1:${port} still sees the stopped ${dead.address} as a master`;
    const covered = masters.reduce((sum, master) => sum + master.slots.reduce((n, [from, to]) => n + to - from + 1, 0), 0);
    if (covered !== CLUSTER_SLOTS) return `127.0.0.1:${port} sees ${covered} of ${CLUSTER_SLOTS} slots served`;
    if (shape !== undefined && (masters.length !== shape.masters || masters.some((master) => master.replicas.length !== shape.replicasPerMaster))) {
      return `127.0.0.1:${port} sees ${masters.length} masters with ${masters.map((master) => master.replicas.length).join('/')} replicas (want ${shape.masters} with ${shape.replicasPerMaster} each)`;
    }
    const map = topology(view);
    if (reference === undefined) reference = map;
    else if (map !== reference) return `the nodes disagree on the topology (127.0.0.1:${port}: ${map}; another: ${reference})`;
    const me = view.find((n) => n.port === port);
    if (me?.role === 'replica') {
      const replication = String(await nodeCommand(port, 'INFO', 'replication'));
      if (infoField(replication, 'master_link_status') !== 'up') return `replica 127.0.0.1:${port}: master link ${infoField(replication, 'master_link_status') ?? '?'}`;
      if (infoField(replication, 'master_sync_in_progress') !== '0') return `replica 127.0.0.1:${port} is still syncing`;
      const master = view.find((n) => n.id === me.masterId);
      if (master === undefined || !runningAddresses.has(master.address)) return `replica 127.0.0.1:${port} follows a master that is not running`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Starting one

function runRedisCli(binary: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${binary}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !/\[ERR\]/.test(output)) resolve();
      else reject(new Error(`${binary} ${args.join(' ')} failed (${signal ?? `exit ${String(code)}`}):\n${output.slice(-4_000)}`));
    });
  });
}

const liveClusters = new Set<TestRedisCluster>();

/** Stops every cluster started here and not yet stopped; for `afterAll`. */
export async function stopAllRedisClusters(): Promise<void> {
  await Promise.all([...liveClusters].map((cluster) => cluster.stop()));
}

/**
 * Starts a Redis Cluster of `masters` masters with `replicasPerMaster` replicas each (3 + 3 by
 * default) from the local `redis-server` and `redis-cli` on free loopback ports, and resolves
 * once it is ready. Takes about two seconds.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<TestRedisCluster> {
  const masterCount = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 1;
  if (!Number.isInteger(masterCount) || masterCount < 3) throw new Error(`startRedisCluster: masters must be an integer >= 3 (got ${masterCount})`);
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) throw new Error(`startRedisCluster: replicasPerMaster must be an integer >= 0 (got ${replicasPerMaster})`);
  const persistent = options.persistent === true;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const binary = findRedisServerBinary();
  if (binary === undefined) throw new Error('redis-server is not installed: a Redis Cluster for the suites needs it (`apt-get install redis-server`)');
  const cli = resolveBinary('redis-cli', 'redis-tools');

  const dir = makeRunDir('redis-cluster');
  const servers: RedisServerProcess[] = [];
  const byPort = new Map<number, RedisServerProcess>();
  const taken = new Set<number>();
  const pickPort = async (): Promise<number> => {
    for (;;) {
      const port = await freePort('127.0.0.1');
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  for (let i = 0; i < masterCount * (1 + replicasPerMaster); i++) {
    const port = await pickPort();
    // The bus port is chosen too: port + 10000 (Redis's default) may be taken or above 65535.
    const busPort = await pickPort();
    const nodeDir = join(dir, `node-${port}`);
    mkdirSync(nodeDir);
    const server = new RedisServerProcess({
      binary,
      port,
      dir: nodeDir,
      persistent,
      config: [
        'cluster-enabled yes',
        `cluster-config-file ${join(nodeDir, 'nodes.conf')}`,
        `cluster-node-timeout ${nodeTimeoutMs}`,
        `cluster-port ${busPort}`,
        // Any replica may take over, however long it was cut off: the suites want failover, not safety margins.
        'cluster-replica-validity-factor 0',
        // Replicas sync at once, not after the default 5 s wait for more replicas.
        'repl-diskless-sync yes',
        'repl-diskless-sync-delay 0',
        'loglevel warning',
      ],
    });
    servers.push(server);
    byPort.set(port, server);
  }

  const running = (): number[] => servers.filter((server) => server.running).map((server) => server.port);
  const waitUntilReady = async (timeoutMs = readyTimeoutMs, shape?: { masters: number; replicasPerMaster: number }): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let last = 'nothing checked yet';
    for (;;) {
      try {
        const problem = await notReadyBecause(running(), shape);
        if (problem === undefined) return;
        last = problem;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) throw new Error(`the Redis Cluster was not ready within ${timeoutMs} ms: ${last}`);
      await sleep(100);
    }
  };
  const view = async (): Promise<ClusterNodeView[]> => {
    let lastError: unknown;
    for (const port of running()) {
      try {
        return parseClusterNodes(String(await nodeCommand(port, 'CLUSTER', 'NODES')));
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no running node of the cluster answers CLUSTER NODES: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  };
  const masters = async (): Promise<ClusterMaster[]> => mastersOf(await view());
  const masterOf = async (slotOrKey: number | string): Promise<ClusterMaster> => {
    const slot = typeof slotOrKey === 'number' ? slotOrKey : Number(await nodeCommand(running()[0] ?? 0, 'CLUSTER', 'KEYSLOT', slotOrKey));
    if (!Number.isInteger(slot) || slot < 0 || slot >= CLUSTER_SLOTS) throw new Error(`masterOf: ${String(slotOrKey)} is not a slot (0..${CLUSTER_SLOTS - 1}) or a key`);
    const found = (await masters()).find((master) => master.slots.some(([from, to]) => slot >= from && slot <= to));
    if (found === undefined) throw new Error(`masterOf: no master serves slot ${slot}`);
    return found;
  };

  let lastKilled: KilledMaster | undefined;
  let stopped: Promise<void> | undefined;
  const cluster: TestRedisCluster = {
    nodes: servers.map((server) => `127.0.0.1:${server.port}`).join(','),
    startupNodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    masters,
    masterOf,
    runningNodes: () => running().map((port) => `127.0.0.1:${port}`),
    waitUntilReady,
    async killMaster(target = 0) {
      const all = await masters();
      const master = typeof target === 'string' && /^127\.0\.0\.1:\d+$/.test(target) ? all.find((m) => m.address === target) : await masterOf(target);
      if (master === undefined) throw new Error(`killMaster: ${String(target)} is not a master of this cluster (masters: ${all.map((m) => m.address).join(', ')})`);
      const server = byPort.get(master.port);
      if (server === undefined) throw new Error(`killMaster: ${master.address} was not started here`);
      await server.halt('SIGKILL');
      lastKilled = { id: master.id, address: master.address, slots: master.slots, replicas: master.replicas.map((replica) => replica.address) };
      return lastKilled;
    },
    async waitForPromotion(killed = lastKilled, timeoutMs = 30_000) {
      if (killed === undefined) throw new Error('waitForPromotion: no master was killed');
      const started = Date.now();
      let promoted: ClusterMaster | undefined;
      await (async () => {
        for (;;) {
          const now = await masters().catch(() => []);
          promoted = now.find((master) => killed.replicas.includes(master.address) && master.slots.some(([from]) => from === killed.slots[0]?.[0]));
          if (promoted !== undefined) return;
          if (Date.now() - started > timeoutMs) {
            throw new Error(`no replica of ${killed.address} (${killed.replicas.join(', ') || 'none'}) took over its slots within ${timeoutMs} ms`);
          }
          await sleep(100);
        }
      })();
      await waitUntilReady(Math.max(1_000, timeoutMs - (Date.now() - started)));
      return (await masters()).find((master) => master.id === promoted?.id) ?? (promoted as ClusterMaster);
    },
    async restartNode(address) {
      const server = byPort.get(Number(address.slice(address.lastIndexOf(':') + 1)));
      if (server === undefined || `127.0.0.1:${server.port}` !== address) throw new Error(`restartNode: ${address} is not a node of this cluster (${cluster.nodes})`);
      await server.start();
      await waitUntilReady();
    },
    async restart() {
      await Promise.all(servers.map((server) => server.halt('SIGTERM')));
      await Promise.all(servers.map((server) => server.start()));
      await waitUntilReady();
    },
    async crash() {
      await Promise.all(servers.map((server) => server.halt('SIGKILL')));
    },
    async start() {
      await Promise.all(servers.map((server) => server.start()));
      await waitUntilReady();
    },
    stop() {
      stopped ??= (async () => {
        liveClusters.delete(cluster);
        await Promise.all(servers.map((server) => server.halt('SIGKILL')));
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  liveClusters.add(cluster);

  try {
    await Promise.all(servers.map((server) => server.start()));
    await runRedisCli(cli, ['--cluster', 'create', ...servers.map((server) => `127.0.0.1:${server.port}`), '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'], 60_000);
    await waitUntilReady(readyTimeoutMs, { masters: masterCount, replicasPerMaster });
  } catch (error) {
    const logs = servers.map((server) => `--- 127.0.0.1:${server.port} ---\n${server.output().slice(-1_000)}`).join('\n');
    await cluster.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`);
  }
  return cluster;
}
