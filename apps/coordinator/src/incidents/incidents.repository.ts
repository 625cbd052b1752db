import { Inject, Injectable } from '@nestjs/common';
import type { MonitorIncidentState } from '@crosscheck/checks';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_ROLLUP_SETTINGS, type CoordinatorConfig, type RollupSettings } from '../config/coordinator-config';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys, MONITOR_TOMBSTONE_TTL_MS, monitorIdOfIncident, shardOf, STATE_SHARDS } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { RoundSummary } from '../results/round';
import { ROLLUP_LUA, ROLLUP_TIER_ARGS, rollupDeltaArg, rollupTierArgs, rollupTiersLua } from '../rollups/rollup-merge.lua';
import type { AcknowledgementEntry, ClassificationSummary, IncidentRecord, IncidentState, IncidentTimelineEntry } from './incident-record';
import type { DeletionPlan } from './deletion-plan';
import type { TransitionPlan } from './transition-plan';

/** A resolved incident and its timeline are kept this long after resolving. */
export const RESOLVED_RETENTION_MS = 90 * 24 * 60 * 60 * 1_000;
/** Entries kept per timeline: the opening one and the latest. Updates are damped, so this is rarely reached. */
export const TIMELINE_MAX = 500;
/**
 * Safety cap of the outbox stream. Delivered entries are deleted at once, so only a sink that has
 * been failing for a very long time lets it grow this far; beyond it the oldest are trimmed rather
 * than filling a `noeviction` Redis.
 */
export const OUTBOX_MAX = 100_000;

/** Lua: appends an entry to a timeline, which keeps its first entry (the opening) and the latest `max - 1`. */
const APPEND_TO_TIMELINE = `
local function appendToTimeline(key, entry, max)
  if redis.call('RPUSH', key, entry) > max then
    local first = redis.call('LINDEX', key, 0)
    redis.call('LTRIM', key, -(max - 1), -1)
    redis.call('LPUSH', key, first)
  end
end`;

/**
 * Lua: the record JSON a transition writes, with the acknowledgement of the record stored under
 * `key` carried over: a transition recomputes the record from the incident machine, which knows
 * nothing of acknowledgements, and must not forget one.
 */
const KEEP_ACKNOWLEDGEMENT = `
local function keepAcknowledgement(key, json)
  local stored = redis.call('GET', key)
  if not stored then return json end
  local record = cjson.decode(stored)
  if type(record.acknowledgedAt) ~= 'string' then return json end
  local by = record.acknowledgedBy
  if type(by) ~= 'string' then by = cjson.null end
  return string.sub(json, 1, -2) .. ',"acknowledgedAt":' .. cjson.encode(record.acknowledgedAt) .. ',"acknowledgedBy":' .. cjson.encode(by) .. '}'
end`;

/**
 * Acknowledges an open incident, atomically and once: the first acknowledgement is kept (a second
 * changes nothing), a resolved incident is not acknowledged (acknowledged before or not).
 * KEYS (the incident's state shard): 1 incident record, 2 incident timeline.
 * ARGV: 1 the fields to add, as JSON members (`,"acknowledgedAt":...,"acknowledgedBy":...`),
 *   2 timeline entry JSON, 3 timeline max entries.
 * Returns 'acknowledged', 'already' (acknowledged before), 'resolved' or 'missing'.
 */
const ACKNOWLEDGE_INCIDENT = new LuaScript(
  'acknowledge-incident',
  2,
  `${APPEND_TO_TIMELINE}
local stored = redis.call('GET', KEYS[1])
if not stored then return 'missing' end
local record = cjson.decode(stored)
if record.state ~= 'open' then return 'resolved' end
if type(record.acknowledgedAt) == 'string' then return 'already' end
redis.call('SET', KEYS[1], string.sub(stored, 1, -2) .. ARGV[1] .. '}', 'KEEPTTL')
appendToTimeline(KEYS[2], ARGV[2], tonumber(ARGV[3]))
return 'acknowledged'
`,
);

/** What acknowledging an incident came to. */
export type AcknowledgeOutcome = 'acknowledged' | 'already' | 'resolved' | 'missing';

/**
 * Commits one round's transition to a monitor's incident state, atomically and once: the state
 * hash keeps the scheduled time of the latest round applied (`applied:at`, and its id as
 * `applied:round`), and a round scheduled at or before it is refused. That is once per round, and
 * what the machine does anyway (it ignores a round not newer than the last applied one). The
 * round's summary, kept for a retry of this very step, goes. The round's rollup is added into the
 * monitor's uptime history in the same step (see `rollup-merge.lua.ts`): once per round, however
 * many coordinators and retries apply it.
 * KEYS (all in the monitor's state shard): 1 incident-state hash, 2 the round's summary, 3 the monitor's
 *   tombstone, 4 the shard's incidents, 5 the monitor's incidents, 6 the shard's open incidents,
 *   7 the shard's outbox stream, 8 incident record, 9 incident timeline, 10 the monitor's open rollup hash.
 * ARGV: 1 revision the transition was computed from, 2 new state JSON ('' = unchanged), 3 round id,
 *   4 classification JSON, 5 the round's scheduledAt, 6 incident id ('' = no incident event),
 *   7 incident JSON, 8 incident score (openedAt), 9 incident state, 10 timeline entry JSON,
 *   11 retention ms of a resolved incident, 12 timeline max entries, 13 outbox max length,
 *   14 the rollup chunk keys' prefix, 15 the round's rollup ('' = rollups off), 16-27 the rollup
 *   tiers (field, bucket ms, chunk ms, retention ms each), then (event id, event type, event JSON) per event.
 * Returns {outcome, revision, rollup error}: 'applied', 'duplicate' (this round or a later one was
 *   applied already), 'conflict' (the state moved since it was read), 'monitor_gone'; the rollup error
 *   is '' unless writing the round's rollup failed (the transition is committed all the same).
 */
const COMMIT_EVENTS_FROM = 16 + ROLLUP_TIER_ARGS;
const COMMIT_TRANSITION = new LuaScript(
  'commit-incident-transition',
  10,
  `${APPEND_TO_TIMELINE}
${KEEP_ACKNOWLEDGEMENT}
${ROLLUP_LUA}
${rollupTiersLua}
if redis.call('EXISTS', KEYS[3]) == 1 then return {'monitor_gone', 0} end
local applied = redis.call('HMGET', KEYS[1], 'applied:at', 'revision')
if applied[1] and tonumber(applied[1]) >= tonumber(ARGV[5]) then return {'duplicate', 0} end
local revision = tonumber(applied[2] or '0')
if revision ~= tonumber(ARGV[1]) then return {'conflict', revision} end
redis.call('HSET', KEYS[1], 'applied:at', ARGV[5], 'applied:round', ARGV[3])
redis.call('DEL', KEYS[2])
if ARGV[2] ~= '' then
  revision = revision + 1
  redis.call('HSET', KEYS[1], 'state', ARGV[2], 'revision', revision)
end
local at = redis.call('HGET', KEYS[1], 'classification:at')
if (not at) or tonumber(at) <= tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[1], 'classification', ARGV[4], 'classification:at', ARGV[5])
end
if ARGV[6] ~= '' then
  local id = ARGV[6]
  redis.call('SET', KEYS[8], keepAcknowledgement(KEYS[8], ARGV[7]))
  redis.call('ZADD', KEYS[4], ARGV[8], id)
  redis.call('ZADD', KEYS[5], ARGV[8], id)
  appendToTimeline(KEYS[9], ARGV[10], tonumber(ARGV[12]))
  if ARGV[9] == 'open' then
    redis.call('ZADD', KEYS[6], ARGV[8], id)
    redis.call('PERSIST', KEYS[8])
    redis.call('PERSIST', KEYS[9])
  else
    redis.call('ZREM', KEYS[6], id)
    redis.call('PEXPIRE', KEYS[8], ARGV[11])
    redis.call('PEXPIRE', KEYS[9], ARGV[11])
  end
end
for i = ${COMMIT_EVENTS_FROM}, #ARGV, 3 do
  redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[13], '*', 'id', ARGV[i], 'type', ARGV[i + 1], 'event', ARGV[i + 2])
end
-- Last, and caught: whatever the rollups meet, the transition and its events stand.
local rollupError = ''
if ARGV[15] ~= '' then
  local ok, err = pcall(rollupRound, KEYS[10], ARGV[14], tonumber(ARGV[5]), ARGV[15], rollupTiers(16))
  if not ok then rollupError = tostring(err) end
end
return {'applied', revision, rollupError}
`,
);

/**
 * Ends the incident story of a deleted monitor, atomically and once: resolves its open incident (if
 * the plan carries one and it is still open) with its timeline entry and `incident.resolved` in the
 * outbox, deletes the monitor's incident machine, and gives the monitor's incident index the
 * retention of a resolved incident, and leaves the monitor's tombstone. Never for a monitor that
 * exists (the caller checks the catalog first: ids are never reused).
 * KEYS (all in the monitor's state shard): 1 incident-state hash, 2 the monitor's tombstone, 3 the
 *   shard's open incidents, 4 the shard's outbox, 5 incident record, 6 incident timeline, 7 the
 *   monitor's incidents.
 * ARGV: 1 revision the plan was computed from, 2 incident id ('' = none), 3 record JSON,
 *   4 timeline entry JSON, 5 retention ms, 6 timeline max entries, 7 outbox max length,
 *   8 event id, 9 event type, 10 event JSON, 11 the tombstone's lifetime ms.
 * Returns 'closed' | 'resolved' | 'conflict'.
 */
const CLOSE_DELETED_MONITOR = new LuaScript(
  'close-deleted-monitor',
  7,
  `${APPEND_TO_TIMELINE}
${KEEP_ACKNOWLEDGEMENT}
redis.call('SET', KEYS[2], '1', 'PX', ARGV[11])
local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if revision ~= tonumber(ARGV[1]) then return 'conflict' end
local outcome = 'closed'
if ARGV[2] ~= '' and redis.call('ZSCORE', KEYS[3], ARGV[2]) then
  redis.call('SET', KEYS[5], keepAcknowledgement(KEYS[5], ARGV[3]), 'PX', ARGV[5])
  appendToTimeline(KEYS[6], ARGV[4], tonumber(ARGV[6]))
  redis.call('PEXPIRE', KEYS[6], ARGV[5])
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'id', ARGV[8], 'type', ARGV[9], 'event', ARGV[10])
  outcome = 'resolved'
end
redis.call('DEL', KEYS[1])
redis.call('PEXPIRE', KEYS[7], ARGV[5])
return outcome
`,
);

/** What closing a deleted monitor's incident state came to. */
export type CloseDeletedOutcome = 'closed' | 'resolved' | 'conflict' | 'monitor_exists';

/** A monitor's incident machine as stored, with the revision a commit must find unchanged. */
export interface StoredIncidentState {
  /** `undefined` before the monitor's first round was applied. */
  state: MonitorIncidentState | undefined;
  revision: number;
}

/** What committing a transition came to. */
export type CommitOutcome = 'applied' | 'duplicate' | 'conflict' | 'monitor_gone';

/** A commit's outcome, the state's revision after it, and why the round's rollup failed if it did. */
export interface CommitResult {
  outcome: CommitOutcome;
  revision: number;
  /** Set when the transition was committed but its rollup could not be written (a Lua error). */
  rollupError?: string;
}

/** A position in an incident index: the incident's `openedAt` and id (ids break ties). */
export interface IndexPosition {
  score: number;
  id: string;
}

/** Filters of an incident listing; times are epoch ms, inclusive, on `openedAt`. */
export interface IncidentQuery {
  monitorId?: string;
  state?: IncidentState;
  since?: number;
  until?: number;
  limit: number;
  /** Continue after this position (exclusive). */
  after?: IndexPosition;
}

/** One page of incidents, newest first. */
export interface IncidentListing {
  items: IncidentRecord[];
  /** Where the next page starts; `null` when there is no more. */
  next: IndexPosition | null;
}

/** Index entries read per round trip while listing. */
const SCAN_BATCH = 100;
/** Index entries a listing reads at most before returning a page (possibly short) with a cursor. */
const SCAN_MAX = 5_000;

/**
 * Incidents in Redis: each monitor's incident machine (`cc:{<shard>}:monitor:<id>:incident-state`), the
 * incidents (`cc:{<shard>}:incident:<id>` and `:timeline`), their indexes by `openedAt` (all, open, per
 * monitor) and the outbox stream of events. A transition is one Lua script (see
 * {@link IncidentsRepository.commit}).
 */
@Injectable()
export class IncidentsRepository {
  private readonly rollups: RollupSettings;

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(COORDINATOR_CONFIG) config: Pick<CoordinatorConfig, 'rollups'>,
  ) {
    this.rollups = config.rollups ?? DEFAULT_ROLLUP_SETTINGS;
  }

  async readState(monitorId: string): Promise<StoredIncidentState> {
    const [json, revision] = await this.redis.hmget(coordinatorKeys.incidentState(monitorId), 'state', 'revision');
    return {
      state: typeof json === 'string' ? (JSON.parse(json) as MonitorIncidentState) : undefined,
      revision: typeof revision === 'string' ? Number(revision) : 0,
    };
  }

  /**
   * Commits a transition computed from the state at `revision`, in one script: unless the round (or
   * a later one) was applied already or the state moved since (`conflict`: read again and
   * recompute), it marks the round applied, writes the state, the round's classification, the
   * incident record, indexes and timeline entry, adds the round's rollup (unless rollups are off),
   * and appends every event to the outbox.
   */
  async commit(monitorId: string, roundId: string, revision: number, plan: TransitionPlan): Promise<CommitResult> {
    const incident = plan.incident;
    const incidentId = incident?.record.id ?? '';
    const reply = (await COMMIT_TRANSITION.run(
      this.redis,
      [
        coordinatorKeys.incidentState(monitorId),
        coordinatorKeys.roundSummary(roundId),
        coordinatorKeys.monitorGone(monitorId),
        coordinatorKeys.incidents(shardOf(monitorId)),
        coordinatorKeys.monitorIncidents(monitorId),
        coordinatorKeys.openIncidents(shardOf(monitorId)),
        coordinatorKeys.outbox(shardOf(monitorId)),
        // Without an incident event these two are not touched; any key of the monitor's will do.
        incident ? coordinatorKeys.incident(incidentId) : coordinatorKeys.incidentState(monitorId),
        incident ? coordinatorKeys.incidentTimeline(incidentId) : coordinatorKeys.incidentState(monitorId),
        coordinatorKeys.rollupOpen(monitorId),
      ],
      [
        revision,
        plan.state ? JSON.stringify(plan.state) : '',
        roundId,
        JSON.stringify(plan.classification),
        Date.parse(plan.classification.scheduledAt),
        incidentId,
        incident ? JSON.stringify(incident.record) : '',
        incident ? incident.score : 0,
        incident ? incident.record.state : '',
        incident ? JSON.stringify(incident.entry) : '',
        RESOLVED_RETENTION_MS,
        TIMELINE_MAX,
        OUTBOX_MAX,
        coordinatorKeys.rollupPrefix(monitorId),
        rollupDeltaArg(plan.rollup, this.rollups),
        ...rollupTierArgs(this.rollups),
        ...plan.events.flatMap((event) => [event.id, event.type, JSON.stringify(event)]),
      ],
    )) as [CommitOutcome, number, string?];
    return { outcome: reply[0], revision: Number(reply[1]), ...(reply[2] ? { rollupError: reply[2] } : {}) };
  }

  /**
   * Closes the incident machine of a deleted monitor read at `revision`: resolves the open incident
   * as `plan` says (when given and still open), deletes the machine, bounds the incident index's life.
   */
  async closeDeleted(monitorId: string, revision: number, plan: DeletionPlan | null): Promise<CloseDeletedOutcome> {
    const incidentId = plan?.incident.record.id ?? '';
    if ((await this.redis.exists(coordinatorKeys.monitor(monitorId))) === 1) return 'monitor_exists';
    return (await CLOSE_DELETED_MONITOR.run(
      this.redis,
      [
        coordinatorKeys.incidentState(monitorId),
        coordinatorKeys.monitorGone(monitorId),
        coordinatorKeys.openIncidents(shardOf(monitorId)),
        coordinatorKeys.outbox(shardOf(monitorId)),
        // Without an incident to resolve these two are not touched; any key of the monitor's will do.
        plan ? coordinatorKeys.incident(incidentId) : coordinatorKeys.incidentState(monitorId),
        plan ? coordinatorKeys.incidentTimeline(incidentId) : coordinatorKeys.incidentState(monitorId),
        coordinatorKeys.monitorIncidents(monitorId),
      ],
      [
        revision,
        incidentId,
        plan ? JSON.stringify(plan.incident.record) : '',
        plan ? JSON.stringify(plan.incident.entry) : '',
        RESOLVED_RETENTION_MS,
        TIMELINE_MAX,
        OUTBOX_MAX,
        plan?.event.id ?? '',
        plan?.event.type ?? '',
        plan ? JSON.stringify(plan.event) : '',
        MONITOR_TOMBSTONE_TTL_MS,
      ],
    )) as CloseDeletedOutcome;
  }

  /**
   * Monitors that have an open incident but no longer exist: deleted by a version that left their
   * incidents open, or in the middle of a deletion. Reads at most `limit` open incidents.
   */
  async monitorsGoneWithOpenIncidents(limit = 1_000): Promise<string[]> {
    const perShard = Math.max(1, Math.ceil(limit / STATE_SHARDS));
    const found = new Set<string>();
    for (let shard = 0; shard < STATE_SHARDS; shard++) {
      // Incident ids embed their monitor's id.
      for (const id of await this.redis.zrange(coordinatorKeys.openIncidents(shard), 0, perShard - 1)) found.add(monitorIdOfIncident(id));
    }
    const monitorIds = [...found];
    if (monitorIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const monitorId of monitorIds) pipeline.exists(coordinatorKeys.monitor(monitorId));
    const replies = (await pipeline.exec()) ?? [];
    return monitorIds.filter((_, index) => {
      const [error, exists] = replies[index] ?? [null, 1];
      if (error) throw error;
      return exists === 0;
    });
  }

  /** The latest applied round's classification of a monitor, as its incident machine keeps it. */
  async classification(monitorId: string): Promise<ClassificationSummary | null> {
    const json = await this.redis.hget(coordinatorKeys.incidentState(monitorId), 'classification');
    return json === null ? null : (JSON.parse(json) as ClassificationSummary);
  }

  /**
   * The summary of a finalized round whose transition is not applied yet: kept beside the round's
   * record until applied, else the monitor's latest round when that is this one (the summary
   * expired with the round's tombstone). `null` when it is applied (this round or a later one), was closed without a summary
   * (monitor deleted), or neither place has it any more.
   */
  async pendingSummary(monitorId: string, roundId: string): Promise<RoundSummary | null> {
    const [scheduledAt, json, applied] = await Promise.all([
      this.redis.hget(coordinatorKeys.round(roundId), 'scheduledAt'),
      this.redis.get(coordinatorKeys.roundSummary(roundId)),
      this.redis.hget(coordinatorKeys.incidentState(monitorId), 'applied:at'),
    ]);
    const appliedAt = applied === null ? -Infinity : Number(applied);
    if (typeof scheduledAt === 'string' && Number(scheduledAt) <= appliedAt) return null;
    let summary = typeof json === 'string' ? (JSON.parse(json) as RoundSummary) : null;
    if (!summary) {
      const latest = await this.redis.hget(coordinatorKeys.monitorState(monitorId), 'round');
      const candidate = latest === null ? null : (JSON.parse(latest) as RoundSummary);
      summary = candidate?.roundId === roundId ? candidate : null;
    }
    return summary && summary.monitorId === monitorId && summary.scheduledAt > appliedAt ? summary : null;
  }

  /** The latest round's classification and the open incident of a monitor. */
  async monitorView(monitorId: string): Promise<{ classification: ClassificationSummary | null; incident: IncidentRecord | null }> {
    const [classification, state] = await this.redis.hmget(coordinatorKeys.incidentState(monitorId), 'classification', 'state');
    const openId = typeof state === 'string' ? (JSON.parse(state) as MonitorIncidentState).incident?.id : undefined;
    return {
      classification: typeof classification === 'string' ? (JSON.parse(classification) as ClassificationSummary) : null,
      incident: openId ? await this.get(openId) : null,
    };
  }

  async get(incidentId: string): Promise<IncidentRecord | null> {
    const json = await this.redis.get(coordinatorKeys.incident(incidentId));
    return json === null ? null : (JSON.parse(json) as IncidentRecord);
  }

  /** The incident's timeline, oldest first: its transitions and its acknowledgement. */
  async timeline(incidentId: string): Promise<IncidentTimelineEntry[]> {
    const entries = await this.redis.lrange(coordinatorKeys.incidentTimeline(incidentId), 0, -1);
    return entries.map((entry) => JSON.parse(entry) as IncidentTimelineEntry);
  }

  /**
   * Records who acknowledged an open incident and when, with its timeline entry, in one script;
   * an incident acknowledged before keeps its first acknowledgement (`already`).
   */
  async acknowledge(incidentId: string, at: string, by: string | null): Promise<AcknowledgeOutcome> {
    const entry: AcknowledgementEntry = { type: 'acknowledged', at, by };
    const members = `,"acknowledgedAt":${JSON.stringify(at)},"acknowledgedBy":${JSON.stringify(by)}`;
    return (await ACKNOWLEDGE_INCIDENT.run(
      this.redis,
      [coordinatorKeys.incident(incidentId), coordinatorKeys.incidentTimeline(incidentId)],
      [members, JSON.stringify(entry), TIMELINE_MAX],
    )) as AcknowledgeOutcome;
  }

  /**
   * Incidents newest first (by `openedAt`, then id), from the narrowest index the filters allow: the
   * monitor's, or every state shard's (all or open ones), merged. Reads at most {@link SCAN_MAX}
   * index entries per index per call: a page may come back short, with a cursor to go on from, when
   * filters leave out many incidents.
   */
  async list(query: IncidentQuery): Promise<IncidentListing> {
    if (query.monitorId !== undefined) return pageOf([await this.scan(coordinatorKeys.monitorIncidents(query.monitorId), query)], query.limit);
    const shards = Array.from({ length: STATE_SHARDS }, (_, shard) => shard);
    const scans = await Promise.all(
      shards.map((shard) => this.scan(query.state === 'open' ? coordinatorKeys.openIncidents(shard) : coordinatorKeys.incidents(shard), query)),
    );
    return pageOf(scans, query.limit);
  }

  /** Up to `limit + 1` incidents of one index matching `query`, newest first, and how far it read. */
  private async scan(index: string, query: IncidentQuery): Promise<IndexScan> {
    const until = query.until ?? Number.POSITIVE_INFINITY;
    const max = query.after ? Math.min(query.after.score, until) : until;
    const min = query.since ?? Number.NEGATIVE_INFINITY;
    const found: { record: IncidentRecord; position: IndexPosition }[] = [];
    let scanned: IndexPosition | null = null;
    let offset = 0;
    while (found.length <= query.limit && offset < SCAN_MAX) {
      const flat = await this.redis.zrevrangebyscore(index, bound(max), bound(min), 'WITHSCORES', 'LIMIT', offset, SCAN_BATCH);
      if (flat.length === 0) return { found, frontier: null };
      offset += flat.length / 2;
      const positions: IndexPosition[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const position = { id: flat[i]!, score: Number(flat[i + 1]) };
        if (query.after && position.score === query.after.score && position.id >= query.after.id) continue;
        positions.push(position);
      }
      if (positions.length === 0) continue;
      // One index's incidents are in its shard: one slot.
      const records = await this.redis.mget(positions.map((p) => coordinatorKeys.incident(p.id)));
      const gone: string[] = [];
      for (let i = 0; i < positions.length; i++) {
        const position = positions[i]!;
        const json = records[i];
        scanned = position;
        if (typeof json !== 'string') {
          gone.push(position.id);
          continue;
        }
        const record = JSON.parse(json) as IncidentRecord;
        if (query.state !== undefined && record.state !== query.state) continue;
        if (query.monitorId !== undefined && record.monitorId !== query.monitorId) continue;
        if (found.length <= query.limit) found.push({ record, position });
      }
      // A resolved incident past its retention leaves its index entries behind: drop them as they are
      // met. They were behind `offset`, so the entries after them move up by as many.
      if (gone.length > 0) offset -= await this.redis.zrem(index, ...gone);
    }
    return { found, frontier: scanned };
  }
}

/** What one index gave a listing: its matches, and the last position it read (`null`: it read to the end). */
interface IndexScan {
  found: { record: IncidentRecord; position: IndexPosition }[];
  frontier: IndexPosition | null;
}

/** Whether `a` lists before `b` (newer `openedAt`, then the greater id). */
function listsBefore(a: IndexPosition, b: IndexPosition): boolean {
  return a.score > b.score || (a.score === b.score && a.id > b.id);
}

/**
 * One page from the scans of several indexes. Past the shallowest frontier of an index that was not
 * read to its end, that index's incidents are unknown: the page stops there (short, with a cursor).
 */
function pageOf(scans: IndexScan[], limit: number): IncidentListing {
  let cutoff: IndexPosition | null = null;
  for (const { frontier } of scans) if (frontier && (cutoff === null || listsBefore(frontier, cutoff))) cutoff = frontier;
  const merged = scans
    .flatMap((scan) => scan.found)
    .filter((item) => cutoff === null || !listsBefore(cutoff, item.position))
    .sort((a, b) => (listsBefore(a.position, b.position) ? -1 : 1));
  if (merged.length > limit) return { items: merged.slice(0, limit).map((f) => f.record), next: merged[limit - 1]!.position };
  if (cutoff === null) return { items: merged.map((f) => f.record), next: null };
  return { items: merged.map((f) => f.record), next: merged.length === limit ? merged[limit - 1]!.position : cutoff };
}

function bound(value: number): string {
  return value === Number.POSITIVE_INFINITY ? '+inf' : value === Number.NEGATIVE_INFINITY ? '-inf' : String(value);
}
