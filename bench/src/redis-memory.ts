import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './agent-process';
import type { Placement } from './agent-throughput';
import { CoordinatorSession } from './coordinator-capacity';
import { sleep } from './processes';
import { round } from './stats';

/** The goals (issue 9, item 5). */
export const GOAL_BYTES_PER_ROUND = 1.5 * 1024;
export const GOAL_BYTES_PER_MONITOR = 200 * 1024;
/** The interval the steady state is projected for. */
const STEADY_INTERVAL_SECONDS = 30;
const PROJECTED_MONITORS = [10_000, 100_000] as const;

export interface RedisMemoryOptions {
  placement: Placement;
  monitors: number;
  regions: number;
  /** Seconds from the monitors' creation to the window: long enough for the queues' count-capped retention to fill. */
  warmupSeconds: number;
  windowSeconds: number;
  log: (line: string) => void;
}

/** The keys of one kind at one moment. */
export interface KeyCategory {
  keys: number;
  bytes: number;
  /** The keys of a monitor's history and state, by monitor id (to read their length and byte count). */
  byMonitor?: Record<string, string>;
  /** History entries of each monitor (history streams only). */
  lengths?: number[];
}

/** A transient kind of per-round key (a round's hash, a transition marker): how long one lives, what it weighs. */
export interface TransientKeys {
  keysPerMonitor: number;
  meanBytes: number | null;
  /** Seconds a key lives from its round's scheduled time: from its TTL when it has one, else from the count alive (Little's law). */
  lifetimeSeconds: number;
  lifetimeFrom: 'ttl' | 'count';
}

/** The coordinator's retention defaults, read from its own config parser (`apps/coordinator/dist`). */
export interface HistoryRetention {
  maxEntries: number;
  days: number;
  maxRecordBytes: number;
}

export interface RedisMemoryResult {
  monitors: number;
  regions: number;
  intervalSeconds: number;
  windowSeconds: number;
  /** Rounds finalized (healthy: every region up) in the window: history entries added ÷ regions. */
  roundsInWindow: number;
  /** Rounds scheduled in the window (monitors × seconds); fewer finalized means the coordinator fell behind. */
  roundsScheduledInWindow: number;
  datasetMemoryAtWindowStart: number;
  datasetMemoryAtWindowEnd: number;
  /** Least-squares slope of `used_memory_dataset` (`used_memory` less clients, buffers and scripts) over the window, bytes per second. */
  datasetMemoryBytesPerSecond: number;
  /** `used_memory_dataset` growth per healthy round of `regions` regions (slope ÷ rounds per second). */
  datasetMemoryBytesPerRound: number;
  /** Growth of the per-monitor keys alone (census at both ends of the window) per round. */
  monitorKeysBytesPerRound: number;
  /** Growth of every key but the queues' retained (completed, failed) jobs (census at both ends of the window) per round. */
  allKeysBytesPerRound: number;
  /**
   * Growth of the queues' retained jobs per round in the window: capped by count per queue (and
   * shard), so it stops once full, whatever the number of monitors; not a cost per round.
   */
  queueRetentionBytesPerRound: number;
  /** What the goal is judged on: {@link allKeysBytesPerRound}. */
  bytesPerRound: number;
  /** Census at the window's start and end, bytes by kind of key (`MEMORY USAGE … SAMPLES 0`). */
  censusStart: Record<string, KeyCategory>;
  censusEnd: Record<string, KeyCategory>;
  history: {
    meanEntries: number;
    /** Redis memory per history entry (`MEMORY USAGE` of the stream ÷ `XLEN`). */
    bytesPerEntry: number;
    /** JSON bytes per entry as the byte cap counts them (`history:bytes` ÷ `XLEN`). */
    recordBytesPerEntry: number | null;
    /** Share of compact entries among the newest 100 of 20 monitors: below 1 where rounds went missing or results were late (a busy machine). */
    compactShare: number;
    /**
     * Redis bytes per entry of a healthy history (every entry compact, as it is once the machine
     * keeps up): the compact entries' JSON, sampled, plus the stream's own overhead per entry
     * measured (`MEMORY USAGE` − `history:bytes`, ÷ `XLEN`). What the steady state is computed from.
     */
    healthyBytesPerEntry: number;
  };
  rounds: TransientKeys;
  transitionMarkers: TransientKeys;
  /** Keys every monitor has once, whatever its interval (monitor, state, incident state, …), bytes each. */
  fixedPerMonitor: Record<string, number>;
  /** What rounds in flight hold (the checks' indexes by deadline, queued deadline and check jobs) ÷ monitors, at 1 s. */
  inFlightPerMonitorBytes: number;
  /** Global keys (indexes, outbox, registry) ÷ monitors: a monitor's share. */
  sharedPerMonitorBytes: number;
  /** BullMQ queues' bytes at the end: their retention of completed jobs is capped by count, not per monitor. */
  queueBytes: number;
  retention: HistoryRetention;
  steadyState: {
    intervalSeconds: number;
    historyEntries: number;
    historyBoundBy: 'count' | 'age' | 'bytes';
    historyBytes: number;
    roundsBytes: number;
    transitionMarkersBytes: number;
    fixedBytes: number;
    /** The checks-in-flight indexes at 30 s: the 1 s figure ÷ 30. */
    inFlightBytes: number;
    sharedBytes: number;
    bytesPerMonitor: number;
  };
  projections: { monitors: number; bytes: number }[];
  goals: { bytesPerRound: number; bytesPerMonitor: number; perRoundMet: boolean; perMonitorMet: boolean };
}

/**
 * Redis memory per monitor: a fresh `redis-server` and a real coordinator (as the capacity part
 * starts them: fake agents answering every check at once with a schema-valid `up` result),
 * `monitors` monitors at intervalSeconds 1 in `regions` regions. After a warm-up that fills the
 * queues' count-capped retention, `used_memory_dataset` (`used_memory` less clients, buffers and scripts) is sampled every second over the window and
 * every key is weighed (`MEMORY USAGE`, exact) at both ends of it. From the per-entry and per-key
 * sizes and lifetimes measured, and the coordinator's default retention, it derives a monitor's
 * steady state at 30 s × `regions`.
 */
export async function redisMemory(options: RedisMemoryOptions): Promise<RedisMemoryResult> {
  const { log } = options;
  const retention = await historyRetention();
  const session = await CoordinatorSession.start(options.placement, options.regions);
  try {
    await session.createMonitors(options.monitors, 1, 1_000);
    const monitorIds = new Set(session.monitors);
    log(`  ${monitorIds.size} monitors @1 s × ${options.regions} regions; warming up ${options.warmupSeconds} s`);
    await sleep(options.warmupSeconds * 1_000);

    const redis = session.redis.client;
    const datasetMemory = async (): Promise<number> => Number(/^used_memory_dataset:(\d+)/m.exec(await redis.info('memory'))?.[1] ?? NaN);
    const censusStart = await census(session, monitorIds);
    const samples: { at: number; bytes: number }[] = [];
    const windowStart = Date.now();
    while (Date.now() - windowStart < options.windowSeconds * 1_000) {
      samples.push({ at: Date.now(), bytes: await datasetMemory() });
      await sleep(1_000 - ((Date.now() - windowStart) % 1_000));
    }
    samples.push({ at: Date.now(), bytes: await datasetMemory() });
    const windowSeconds = (Date.now() - windowStart) / 1_000;
    const censusEnd = await census(session, monitorIds);
    const expectedRounds = options.monitors * windowSeconds;
    // Rounds finalized = history entries added ÷ regions, while no history is at its count cap yet.
    const added = (entriesAt(censusEnd) - entriesAt(censusStart)) / options.regions;
    const rounds = maxEntriesAt(censusEnd) < retention.maxEntries && added > 0 ? added : expectedRounds;
    if (rounds < 0.95 * expectedRounds || rounds > 1.05 * expectedRounds) {
      log(`  WARNING: ${Math.round(rounds)} rounds finalized of ${Math.round(expectedRounds)} scheduled: the coordinator fell behind (busy machine?); rounds still open or caught up distort the figures`);
    }
    const slope = leastSquaresSlope(samples.map((s) => [(s.at - windowStart) / 1_000, s.bytes]));
    const roundsPerSecond = rounds / windowSeconds;
    const monitorBytes = (c: Record<string, KeyCategory>): number =>
      Object.entries(c)
        .filter(([kind]) => kind.startsWith('monitor:'))
        .reduce((sum, [, k]) => sum + k.bytes, 0);

    const history = await historyFigures(session, censusEnd);
    for (const category of [...Object.values(censusStart), ...Object.values(censusEnd)]) {
      delete category.byMonitor;
      delete category.lengths;
    }
    const roundKeys = await transient(session, censusEnd, 'monitor: round', monitorIds);
    const markers = await transient(session, censusEnd, 'monitor: transition marker', monitorIds);
    const fixedPerMonitor: Record<string, number> = {};
    for (const [kind, k] of Object.entries(censusEnd)) {
      if (!kind.startsWith('monitor:') || kind === IN_FLIGHT_MONITOR_CHECKS || kind === 'monitor: round' || kind === 'monitor: transition marker' || kind === 'monitor: history') continue;
      fixedPerMonitor[kind.slice('monitor: '.length)] = Math.round(k.bytes / options.monitors);
    }
    // Entries live a fixed time past their check's deadline: at 1 s, 30 times what they hold at 30 s.
    const inFlightBytes = Object.entries(censusEnd)
      .filter(([kind]) => kind === IN_FLIGHT_MONITOR_CHECKS || kind.startsWith('in flight:'))
      .reduce((sum, [, k]) => sum + k.bytes, 0);
    const inFlightPerMonitorBytes = Math.round(inFlightBytes / options.monitors);
    const sharedPerMonitorBytes = Math.round((censusEnd['shared keys']?.bytes ?? 0) / options.monitors);
    const queueBytes = Object.entries(censusEnd)
      .filter(([kind]) => kind.startsWith('queue:'))
      .reduce((sum, [, k]) => sum + k.bytes, 0);

    const steady = steadyState({ retention, regions: options.regions, history, rounds: roundKeys, markers, fixedPerMonitor, inFlightPerMonitorBytes, sharedPerMonitorBytes });
    const datasetMemoryBytesPerRound = slope / roundsPerSecond;
    const bytesOf = (c: Record<string, KeyCategory>, retained: boolean): number =>
      Object.entries(c)
        .filter(([kind]) => kind.startsWith('queue:') === retained)
        .reduce((sum, [, k]) => sum + k.bytes, 0);
    const allKeysPerRound = (bytesOf(censusEnd, false) - bytesOf(censusStart, false)) / rounds;
    const queueRetentionPerRound = (bytesOf(censusEnd, true) - bytesOf(censusStart, true)) / rounds;
    const result: RedisMemoryResult = {
      monitors: options.monitors,
      regions: options.regions,
      intervalSeconds: 1,
      windowSeconds: round(windowSeconds, 1),
      roundsInWindow: Math.round(rounds),
      roundsScheduledInWindow: Math.round(expectedRounds),
      datasetMemoryAtWindowStart: samples[0]?.bytes ?? 0,
      datasetMemoryAtWindowEnd: samples[samples.length - 1]?.bytes ?? 0,
      datasetMemoryBytesPerSecond: Math.round(slope),
      datasetMemoryBytesPerRound: Math.round(datasetMemoryBytesPerRound),
      monitorKeysBytesPerRound: Math.round((monitorBytes(censusEnd) - monitorBytes(censusStart)) / rounds),
      allKeysBytesPerRound: Math.round(allKeysPerRound),
      queueRetentionBytesPerRound: Math.round(queueRetentionPerRound),
      bytesPerRound: Math.round(allKeysPerRound),
      censusStart,
      censusEnd,
      history,
      rounds: roundKeys,
      transitionMarkers: markers,
      fixedPerMonitor,
      inFlightPerMonitorBytes,
      sharedPerMonitorBytes,
      queueBytes,
      retention,
      steadyState: steady,
      projections: PROJECTED_MONITORS.map((monitors) => ({ monitors, bytes: steady.bytesPerMonitor * monitors })),
      goals: {
        bytesPerRound: GOAL_BYTES_PER_ROUND,
        bytesPerMonitor: GOAL_BYTES_PER_MONITOR,
        perRoundMet: allKeysPerRound <= GOAL_BYTES_PER_ROUND,
        perMonitorMet: steady.bytesPerMonitor <= GOAL_BYTES_PER_MONITOR,
      },
    };
    log(
      `  used_memory_dataset +${Math.round(slope)} B/s = ${Math.round(datasetMemoryBytesPerRound)} B per healthy round of ${options.regions} regions ` +
        `(every key but the queues' retention: ${result.allKeysBytesPerRound} B, per-monitor keys: ${result.monitorKeysBytesPerRound} B, ` +
        `queues' count-capped retention still filling: ${result.queueRetentionBytesPerRound} B); steady state @${STEADY_INTERVAL_SECONDS} s: ${Math.round(steady.bytesPerMonitor)} B per monitor`,
    );
    return result;
  } finally {
    await session.stop();
  }
}

/**
 * Weighs every key (SCAN, then `MEMORY USAGE key SAMPLES 0`, exact) by kind: a monitor's own keys
 * (they name its id), BullMQ's queues, and the shared rest (indexes, outbox, registry).
 */
async function census(session: CoordinatorSession, monitorIds: ReadonlySet<string>): Promise<Record<string, KeyCategory>> {
  const redis = session.redis.client;
  const categories: Record<string, KeyCategory> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    if (keys.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const replies = (await pipeline.exec()) ?? [];
    const kinds = await refineQueueKinds(redis, keys, keys.map((key) => kindOf(key, monitorIds)), monitorIds);
    keys.forEach((key, i) => {
      const bytes = Number(replies[i]?.[1] ?? 0);
      const kind = kinds[i] ?? 'shared keys';
      const category = (categories[kind] ??= { keys: 0, bytes: 0 });
      category.keys += 1;
      category.bytes += bytes;
      const monitorId = /mon_[a-z2-7]{20}/.exec(key)?.[0];
      if (monitorId && (kind === 'monitor: history' || kind === 'monitor: state')) (category.byMonitor ??= {})[monitorId] = key;
    });
    const streams = keys.filter((key) => kindOf(key, monitorIds) === 'monitor: history');
    if (streams.length > 0) {
      const lengths = await Promise.all(streams.map((key) => redis.xlen(key)));
      (categories['monitor: history']!.lengths ??= []).push(...lengths);
    }
  } while (cursor !== '0');
  return categories;
}

/**
 * Tells a queue's live jobs of a monitor from its retained ones: a job of a monitor that is neither
 * completed nor failed is live (the rounds queue's scheduler and next round: once per monitor; a
 * round's deadline job or check job: per round in flight); completed and failed ones are the
 * queue's retention, capped by count whatever the number of monitors.
 */
async function refineQueueKinds(redis: CoordinatorSession['redis']['client'], keys: readonly string[], kinds: readonly string[], monitorIds: ReadonlySet<string>): Promise<string[]> {
  const jobs = keys.map((key, i) => {
    if (!kinds[i]?.startsWith('queue:')) return null;
    const monitorId = /mon_[a-z2-7]{20}/.exec(key)?.[0];
    const job = JOB_KEY.exec(key);
    return monitorId && monitorIds.has(monitorId) && job?.[1] && job[2] && job[3] ? { base: job[1], queue: job[2], jobId: job[3] } : null;
  });
  const pipeline = redis.pipeline();
  for (const job of jobs) if (job) pipeline.zscore(`${job.base}:completed`, job.jobId).zscore(`${job.base}:failed`, job.jobId);
  const replies = ((await pipeline.exec()) ?? []).map(([, score]) => score);
  let next = 0;
  return kinds.map((kind, i) => {
    const job = jobs[i];
    if (!job) return kind;
    const retained = replies[next] !== null || replies[next + 1] !== null;
    next += 2;
    if (retained) return kind;
    return job.queue === 'rounds' ? QUEUE_PER_MONITOR : `${QUEUE_PER_ROUND_PREFIX}${job.queue}`;
  });
}

/** `<queue prefix>:<name>:<job id>`, the name the first of the queues' names met. */
const JOB_KEY = /^(.*?[:{]?(rounds|round-deadlines|checks|results)\}?):(.+)$/;
/** The rounds queue's job scheduler of a monitor and its next round's job. */
const QUEUE_PER_MONITOR = 'monitor: rounds queue (scheduler, next round)';
/** A round's deadline job, or its check and result jobs, while they wait: per round in flight. */
const QUEUE_PER_ROUND_PREFIX = 'in flight: queued jobs, ';

/** Indexes of the checks in flight, by deadline: their size follows the checks per second, not the monitors. */
const IN_FLIGHT_DEADLINES = 'in flight: check deadlines (all monitors)';
const IN_FLIGHT_MONITOR_CHECKS = 'monitor: checks in flight';
function entriesAt(categories: Record<string, KeyCategory>): number {
  return (categories['monitor: history']?.lengths ?? []).reduce((sum, n) => sum + n, 0);
}

function maxEntriesAt(categories: Record<string, KeyCategory>): number {
  return Math.max(0, ...(categories['monitor: history']?.lengths ?? []));
}

const QUEUE_NAMES = /(?:^|[:{])(rounds|round-deadlines|webhook-deliveries|checks|results)(?:[}:]|$)/;

function kindOf(key: string, monitorIds: ReadonlySet<string>): string {
  if (key.startsWith('cc:r:')) {
    // A region's agents (heartbeats) or its BullMQ queues.
    return /:agents?(?::|$)/.test(key) ? 'shared keys' : 'queue: region checks/results';
  }
  if (/:checks:deadlines/.test(key)) return IN_FLIGHT_DEADLINES;
  const queue = QUEUE_NAMES.exec(key.replace(/^cc:c:/, ''));
  if (queue && !/:monitor:/.test(key) && !/:checks:sweep-lock/.test(key)) return `queue: ${queue[1]}`;
  const monitorId = /mon_[a-z2-7]{20}/.exec(key)?.[0];
  if (!monitorId || !monitorIds.has(monitorId)) return 'shared keys';
  if (key.includes('incident-transition')) return 'monitor: transition marker';
  if (/:round:/.test(key)) return 'monitor: round';
  if (key.endsWith(':history')) return 'monitor: history';
  if (key.endsWith(':incident-state')) return 'monitor: incident state';
  if (key.endsWith(':state')) return 'monitor: state';
  if (key.endsWith(':checks')) return IN_FLIGHT_MONITOR_CHECKS;
  if (key.endsWith(monitorId) || key.endsWith(`${monitorId}}`)) return 'monitor: monitor';
  return `monitor: other (${key.replace(monitorId, '<id>').replace(/\d{13}/, '<t>')})`;
}

async function historyFigures(session: CoordinatorSession, categories: Record<string, KeyCategory>): Promise<RedisMemoryResult['history']> {
  const redis = session.redis.client;
  const streams = categories['monitor: history']?.byMonitor ?? {};
  const states = categories['monitor: state']?.byMonitor ?? {};
  const pipeline = redis.pipeline();
  for (const [id, stream] of Object.entries(streams)) {
    pipeline.xlen(stream);
    pipeline.memory('USAGE', stream, 'SAMPLES', '0');
    pipeline.hget(states[id] ?? stream.replace(/history$/, 'state'), 'history:bytes');
  }
  const replies = ((await pipeline.exec()) ?? []).map(([, value]) => value);
  let entries = 0;
  let bytes = 0;
  let recordBytes = 0;
  let withRecordBytes = 0;
  for (let i = 0; i + 2 < replies.length; i += 3) {
    const length = Number(replies[i] ?? 0);
    entries += length;
    bytes += Number(replies[i + 1] ?? 0);
    if (typeof replies[i + 2] === 'string') {
      recordBytes += Number(replies[i + 2]);
      withRecordBytes += length;
    }
  }
  // The entries a healthy monitor's history is made of: its compact ones (field `h`), sampled.
  const sample = redis.pipeline();
  for (const stream of Object.values(streams).slice(0, 20)) sample.xrevrange(stream, '+', '-', 'COUNT', 100);
  const sampled = ((await sample.exec()) ?? []).flatMap(([, value]) => (value as [string, string[]][] | null) ?? []);
  const compact = sampled.flatMap(([, fields]) => (fields[0] === 'h' && fields[1] !== undefined ? [Buffer.byteLength(fields[1])] : []));
  const bytesPerEntry = entries ? bytes / entries : 0;
  const recordBytesPerEntry = withRecordBytes ? recordBytes / withRecordBytes : null;
  const compactJson = compact.length ? compact.reduce((sum, n) => sum + n, 0) / compact.length : null;
  return {
    meanEntries: Math.round(entries / Math.max(1, Object.keys(streams).length)),
    bytesPerEntry: round(bytesPerEntry, 1),
    recordBytesPerEntry: recordBytesPerEntry === null ? null : round(recordBytesPerEntry, 1),
    compactShare: sampled.length ? round(compact.length / sampled.length, 3) : 0,
    healthyBytesPerEntry:
      compactJson !== null && recordBytesPerEntry !== null ? round(compactJson + (bytesPerEntry - recordBytesPerEntry), 1) : round(bytesPerEntry, 1),
  };
}

/**
 * How long a kind of per-round key lives and what it weighs: keys with a TTL live from their
 * round's scheduled time (the 13 digits of the round id in their name) to their expiry; keys
 * without one are in flight, and live `count ÷ rounds per second` (one round a second per monitor).
 */
async function transient(session: CoordinatorSession, categories: Record<string, KeyCategory>, kind: string, monitorIds: ReadonlySet<string>): Promise<TransientKeys> {
  const category = categories[kind];
  const monitors = monitorIds.size;
  const keys = category?.keys ?? 0;
  const meanBytes = keys ? round((category?.bytes ?? 0) / keys, 1) : null;
  const fromCount = (): TransientKeys => ({ keysPerMonitor: round(keys / monitors, 2), meanBytes, lifetimeSeconds: round(keys / monitors, 2), lifetimeFrom: 'count' });
  if (keys === 0) return fromCount();
  const redis = session.redis.client;
  const sample: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    sample.push(...found.filter((key) => /-\d{13}/.test(key) && kindOf(key, monitorIds) === kind));
  } while (cursor !== '0' && sample.length < 200);
  if (sample.length === 0) return fromCount();
  const pipeline = redis.pipeline();
  for (const key of sample) pipeline.pttl(key);
  const ttls = ((await pipeline.exec()) ?? []).map(([, ttl]) => Number(ttl));
  const now = Date.now();
  const lifetimes = sample.flatMap((key, i) => {
    const ttl = ttls[i] ?? -1;
    const scheduledAt = Number(/-(\d{13})/.exec(key)?.[1]);
    return ttl > 0 ? [(now - scheduledAt + ttl) / 1_000] : [];
  });
  if (lifetimes.length < sample.length / 2) return fromCount();
  lifetimes.sort((a, b) => a - b);
  return { keysPerMonitor: round(keys / monitors, 2), meanBytes, lifetimeSeconds: round(lifetimes[Math.floor(lifetimes.length / 2)] ?? 0, 1), lifetimeFrom: 'ttl' };
}

/**
 * A monitor at 30 s × `regions` once its history is full: history entries = the first bound hit
 * (count; days × rounds a day × regions; the byte cap ÷ JSON bytes per entry), times the Redis
 * bytes per entry; rounds and markers alive = lifetime ÷ 30 s, times their size; what rounds in
 * flight hold (the checks' indexes, queued deadline and check jobs) ÷ 30 (it follows the rounds per
 * second); plus the keys every monitor has once (its rounds-queue scheduler and next round
 * included) and its share of the global ones.
 */
function steadyState(input: {
  retention: HistoryRetention;
  regions: number;
  history: RedisMemoryResult['history'];
  rounds: TransientKeys;
  markers: TransientKeys;
  fixedPerMonitor: Record<string, number>;
  inFlightPerMonitorBytes: number;
  sharedPerMonitorBytes: number;
}): RedisMemoryResult['steadyState'] {
  const { retention, history } = input;
  const bounds: [RedisMemoryResult['steadyState']['historyBoundBy'], number][] = [
    ['count', retention.maxEntries],
    ['age', Math.floor((retention.days * 86_400) / STEADY_INTERVAL_SECONDS) * input.regions],
    ['bytes', history.recordBytesPerEntry ? Math.floor(retention.maxRecordBytes / history.recordBytesPerEntry) : Infinity],
  ];
  const [historyBoundBy, historyEntries] = bounds.reduce((low, bound) => (bound[1] < low[1] ? bound : low));
  const alive = (keys: TransientKeys): number => (keys.meanBytes ?? 0) * (keys.lifetimeSeconds / STEADY_INTERVAL_SECONDS);
  const historyBytes = historyEntries * history.healthyBytesPerEntry;
  const roundsBytes = alive(input.rounds);
  const transitionMarkersBytes = alive(input.markers);
  const fixedBytes = Object.values(input.fixedPerMonitor).reduce((sum, n) => sum + n, 0);
  const inFlightBytes = input.inFlightPerMonitorBytes / STEADY_INTERVAL_SECONDS;
  return {
    intervalSeconds: STEADY_INTERVAL_SECONDS,
    historyEntries,
    historyBoundBy,
    historyBytes: Math.round(historyBytes),
    roundsBytes: Math.round(roundsBytes),
    transitionMarkersBytes: Math.round(transitionMarkersBytes),
    fixedBytes,
    inFlightBytes: Math.round(inFlightBytes),
    sharedBytes: input.sharedPerMonitorBytes,
    bytesPerMonitor: Math.round(historyBytes + roundsBytes + transitionMarkersBytes + fixedBytes + inFlightBytes + input.sharedPerMonitorBytes),
  };
}

/** The history retention a coordinator gets when the environment says nothing: its own config parser's defaults. */
async function historyRetention(): Promise<HistoryRetention> {
  const path = join(REPO_ROOT, 'apps', 'coordinator', 'dist', 'config', 'coordinator-config.js');
  const module = (await import(pathToFileURL(path).href)) as {
    parseCoordinatorConfig?: (env: Record<string, string>) => { resultHistoryMax: number; resultHistoryDays: number; resultHistoryMaxBytes?: number };
    DEFAULT_RESULT_HISTORY_MAX_BYTES?: number;
  };
  if (!module.parseCoordinatorConfig) throw new Error(`${path} exports no parseCoordinatorConfig`);
  const config = module.parseCoordinatorConfig({
    REDIS_URL: 'redis://127.0.0.1:6379',
    API_TOKEN: 'x'.repeat(16),
    SECRETS_KEY: Buffer.alloc(32).toString('base64'),
  });
  return {
    maxEntries: config.resultHistoryMax,
    days: config.resultHistoryDays,
    maxRecordBytes: config.resultHistoryMaxBytes ?? module.DEFAULT_RESULT_HISTORY_MAX_BYTES ?? Infinity,
  };
}

function leastSquaresSlope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
