import { Inject, Injectable } from '@nestjs/common';
import type { CheckResult } from '@crosscheck/contract';
import type { RedisClient } from '../redis/redis-connections';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_RESULT_HISTORY_MAX_BYTES, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { coordinatorKeys, monitorIdOfRound } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { compactResult } from './compact-result';
import { healthyEntryOf, recordOfHealthyEntry, signatureOf } from './healthy-entry';
import type { FinalizedBy, LatestRegionResult, NewRound, ResultRecord, RoundSummary } from './round';

/**
 * An unfinalized round's record outlives its deadline by this long: a round whose deadline job
 * could not run (every coordinator down) is still finalized when one comes back within the hour.
 */
const ROUND_RETENTION_MS = 60 * 60 * 1_000;
/**
 * A finalized round keeps only a tombstone (expected and answered regions, no reports), and that
 * only this long past its deadline (or its finalization, when later): a result arriving meanwhile
 * is recognised as its round's, stored once and flagged `late`; one arriving after is
 * `unknown_round` and dropped. Agents drop checks past their deadline, so a late result is one
 * that was already on its way when the deadline passed: a minute is plenty.
 */
export const LATE_RESULT_WINDOW_MS = 60 * 1_000;

/**
 * Appends a record to a monitor's history and trims it, oldest first, to its count, its age and
 * its bytes. Redis does not know a stream's bytes, so the records' total is kept beside it (field
 * `history:bytes` of the monitor's state hash) and every trim is made here, entry by entry, to
 * keep that total exact (`XTRIM` would drop entries unseen). A history from before the field
 * existed starts from an estimate (its length times this record). The newest record always stays.
 * An entry is a full record (fields `record`, `late`) or a healthy entry (field `h` alone, see
 * `healthy-entry.ts`): entries with the same fields as the stream's first share their names.
 * Arguments: history stream, state hash, record JSON, late flag ('h' = healthy entry), max count,
 * min id (ms), max bytes.
 */
const APPEND_HISTORY = `
local function append_history(stream, state, record, late, maxlen, minid, maxbytes)
  if late == 'h' then
    redis.call('XADD', stream, '*', 'h', record)
  else
    redis.call('XADD', stream, '*', 'record', record, 'late', late)
  end
  local len = redis.call('XLEN', stream)
  local bytes = tonumber(redis.call('HGET', state, 'history:bytes') or '')
  if not bytes then bytes = (len - 1) * #record end
  bytes = bytes + #record
  local removed = 0
  while len > 1 and removed < 128 do
    local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
    local at = tonumber(string.match(oldest[1], '^(%d+)'))
    if len <= maxlen and bytes <= maxbytes and at >= minid then break end
    local fields = oldest[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'record' or fields[i] == 'h' then bytes = bytes - #fields[i + 1] end
    end
    redis.call('XDEL', stream, oldest[1])
    len = len - 1
    removed = removed + 1
  end
  if bytes < #record then bytes = #record end
  redis.call('HSET', state, 'history:bytes', bytes)
end
`;

/**
 * Creates a round once, unless its monitor was deleted. KEYS: round hash, the monitor's tombstone.
 * ARGV: roundId, monitorId, scheduledAt, deadline, regions JSON, expire-at ms, createdAt, region...
 * Returns 1 when created, 0 when it existed or its monitor is gone.
 */
const CREATE_ROUND = new LuaScript(
  'create-round',
  2,
  `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'roundId', ARGV[1], 'monitorId', ARGV[2], 'scheduledAt', ARGV[3], 'deadline', ARGV[4],
  'regions', ARGV[5], 'expected', #ARGV - 7, 'answered', 0, 'createdAt', ARGV[7])
for i = 8, #ARGV do redis.call('HSET', KEYS[1], 'e:' .. ARGV[i], '1') end
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
return 1
`,
);

/**
 * Stores one region's result of a round once, appends it to the monitor's history and updates the
 * region's latest result when it is newer. The history gets the healthy entry when there is one
 * (an `up` result), the result is on time and its signature is the region's latest one (no state
 * change); the full record otherwise. The region's signature is kept as `region:<r>:sig`.
 * KEYS: round hash, the monitor's tombstone, monitor state hash, history stream.
 * ARGV: monitorId, region, report JSON, history record JSON, latest JSON, history max length, history min id,
 * history max bytes, healthy entry JSON ('' = none), signature.
 * Returns {outcome, answered, expected, late}.
 */
const STORE_RESULT = new LuaScript(
  'store-result',
  4,
  `${APPEND_HISTORY}
if redis.call('EXISTS', KEYS[2]) == 1 then return {'unknown_monitor', 0, 0, 0} end
if redis.call('HGET', KEYS[1], 'monitorId') ~= ARGV[1] then return {'unknown_round', 0, 0, 0} end
local region = ARGV[2]
if redis.call('HEXISTS', KEYS[1], 'e:' .. region) == 0 then return {'unexpected_region', 0, 0, 0} end
if redis.call('HSETNX', KEYS[1], 'r:' .. region, ARGV[3]) == 0 then return {'duplicate', 0, 0, 0} end
local answered = redis.call('HINCRBY', KEYS[1], 'answered', 1)
local expected = tonumber(redis.call('HGET', KEYS[1], 'expected'))
local late = redis.call('HEXISTS', KEYS[1], 'finalizedAt')
local scheduledAt = redis.call('HGET', KEYS[1], 'scheduledAt')
local signature = redis.call('HGET', KEYS[3], 'region:' .. region .. ':sig')
if late == 0 and ARGV[9] ~= '' and signature == ARGV[10] then
  append_history(KEYS[4], KEYS[3], ARGV[9], 'h', tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]))
else
  append_history(KEYS[4], KEYS[3], ARGV[4], late, tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]))
end
local at = redis.call('HGET', KEYS[3], 'region:' .. region .. ':at')
if (not at) or tonumber(at) < tonumber(scheduledAt) then
  redis.call('HSET', KEYS[3], 'region:' .. region, ARGV[5], 'region:' .. region .. ':at', scheduledAt, 'region:' .. region .. ':sig', ARGV[10])
  if ARGV[11] ~= '' then redis.call('HSET', KEYS[3], 'baseline:' .. region, ARGV[11]) end
end
return {'stored', answered, expected, late}
`,
);

/**
 * Finalizes a round once: regions without a result become 'missing' (with the reason given),
 * the summary is kept (its own key) until the round's transition is applied (the incident commit
 * deletes it) and, unless a newer round is already there, as the monitor's latest round. The
 * round becomes a tombstone of itself, written afresh so that Redis keeps it as a small listpack:
 * no reports (each answered region keeps a mark, so a duplicate is still one), expiring
 * {@link LATE_RESULT_WINDOW_MS} past its deadline. A missing region's signature becomes
 * `missing`, so that its next `up` is stored in full. A round of a deleted monitor is closed
 * without a summary.
 * KEYS: round hash, the monitor's tombstone, monitor state hash, history stream, round summary.
 * ARGV: now, finalizedBy, history max length, history min id, reasons JSON {region: reason}, default reason,
 * history max bytes, late-result window ms.
 * Returns the summary JSON, or false when the round is unknown, already finalized or its monitor deleted.
 */
const FINALIZE_ROUND = new LuaScript(
  'finalize-round',
  5,
  `${APPEND_HISTORY}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('HSETNX', KEYS[1], 'finalizedAt', ARGV[1]) == 0 then return false end
local round = redis.call('HMGET', KEYS[1], 'roundId', 'monitorId', 'scheduledAt', 'deadline', 'regions', 'expected', 'createdAt')
local expireAt = math.max(tonumber(round[4]), tonumber(ARGV[1])) + tonumber(ARGV[8])
redis.call('PEXPIREAT', KEYS[1], expireAt)
-- A round of a deleted monitor is closed and ignored.
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local regions = cjson.decode(round[5])
local reasons = cjson.decode(ARGV[5])
local parts = {}
local answered = 0
local tombstone = {}
for _, region in ipairs(regions) do
  local report = redis.call('HGET', KEYS[1], 'r:' .. region)
  tombstone[#tombstone + 1] = 'e:' .. region
  tombstone[#tombstone + 1] = '1'
  if report then
    answered = answered + 1
    tombstone[#tombstone + 1] = 'r:' .. region
    tombstone[#tombstone + 1] = '1'
  else
    local reason = reasons[region] or ARGV[6]
    report = '{"status":"missing","causes":[],"evidence":null,"agentId":null,"agentVersion":null,"checkedAt":null,"reason":'
      .. cjson.encode(reason) .. '}'
    local record = '{"roundId":' .. cjson.encode(round[1]) .. ',"monitorId":' .. cjson.encode(round[2])
      .. ',"region":' .. cjson.encode(region) .. ',"scheduledAt":' .. round[3]
      .. ',"status":"missing","causes":[],"evidence":null,"agentId":null,"agentVersion":null,"checkedAt":null,"reason":'
      .. cjson.encode(reason) .. '}'
    append_history(KEYS[4], KEYS[3], record, 0, tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[7]))
    local at = redis.call('HGET', KEYS[3], 'region:' .. region .. ':at')
    if (not at) or tonumber(at) < tonumber(round[3]) then redis.call('HSET', KEYS[3], 'region:' .. region .. ':sig', 'missing') end
  end
  parts[#parts + 1] = cjson.encode(region) .. ':' .. report
end
local summary = '{"roundId":' .. cjson.encode(round[1]) .. ',"monitorId":' .. cjson.encode(round[2])
  .. ',"scheduledAt":' .. round[3] .. ',"deadline":' .. round[4] .. ',"finalizedAt":' .. ARGV[1]
  .. ',"finalizedBy":' .. cjson.encode(ARGV[2]) .. ',"complete":' .. tostring(answered == #regions)
  .. ',"regions":{' .. table.concat(parts, ',') .. '}}'
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'roundId', round[1], 'monitorId', round[2], 'scheduledAt', round[3], 'deadline', round[4],
  'regions', round[5], 'expected', round[6] or #regions, 'answered', answered, 'createdAt', round[7] or ARGV[1], 'finalizedAt', ARGV[1], unpack(tombstone))
redis.call('PEXPIREAT', KEYS[1], expireAt)
redis.call('SET', KEYS[5], summary, 'PXAT', expireAt)
local at = redis.call('HGET', KEYS[3], 'round:at')
if (not at) or tonumber(at) < tonumber(round[3]) then
  redis.call('HSET', KEYS[3], 'round', summary, 'round:at', round[3])
end
return summary
`,
);

/** What storing a result came to. */
export type StoreOutcome =
  | { kind: 'stored'; answered: number; expected: number; late: boolean }
  | { kind: 'duplicate' | 'unknown_monitor' | 'unknown_round' | 'unexpected_region' };

/** A round's expected regions and deadline, as created. */
export interface RoundRecord {
  roundId: string;
  monitorId: string;
  scheduledAt: number;
  deadline: number;
  regions: string[];
  answeredRegions: string[];
  finalizedAt: number | null;
}

/** One page of history, newest first. */
export interface HistoryPage {
  items: (ResultRecord & { recordedAt: number; late: boolean })[];
  /** Pass as `cursor` for older entries; `null` when this page is the last. */
  nextCursor: string | null;
}

/** Filters of a history read; times are epoch ms, inclusive. */
export interface HistoryQuery {
  since?: number;
  until?: number;
  limit: number;
  cursor?: string;
}

/**
 * Rounds and results in Redis. A round is the hash `cc:{<shard>}:round:<roundId>` (in its monitor's
 * state shard; expected regions as `e:<region>`, results as `r:<region>`, `answered`,
 * `finalizedAt`), expiring an hour after its deadline while open; once finalized it is a tombstone
 * without reports expiring {@link LATE_RESULT_WINDOW_MS} past its deadline, and its summary waits
 * for the incident commit in `…:round:<roundId>:summary`. Each transition (create, store a result,
 * finalize) is one Lua script, so it happens once whatever the number of coordinators and retries.
 */
@Injectable()
export class RoundsRepository {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(COORDINATOR_CONFIG) private readonly config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Creates the round unless it exists; `true` when this call created it. */
  async create(round: NewRound): Promise<boolean> {
    const created = await CREATE_ROUND.run(
      this.redis,
      [coordinatorKeys.round(round.roundId), coordinatorKeys.monitorGone(round.monitorId)],
      [
        round.roundId,
        round.monitorId,
        round.scheduledAt,
        round.deadline,
        JSON.stringify(round.regions),
        round.deadline + ROUND_RETENTION_MS,
        this.clock.now(),
        ...round.regions,
      ],
    );
    return created === 1;
  }

  /**
   * Stores a validated result of the round it names, once, compacted to at most
   * `MAX_STORED_RESULT_BYTES` (failed expectations only, values cut; see {@link compactResult}).
   */
  async storeResult(result: CheckResult, scheduledAt: number): Promise<StoreOutcome> {
    // A round of another monitor: its keys are in another shard, and it is not this monitor's round.
    if (monitorIdOfRound(result.roundId) !== result.monitorId) return { kind: 'unknown_round' };
    const { report, record } = compactResult(result, scheduledAt);
    const healthy = healthyEntryOf(result, scheduledAt);
    const latest: LatestRegionResult = {
      roundId: result.roundId,
      scheduledAt,
      status: result.verdict.status,
      checkedAt: report.checkedAt ?? new Date(result.finishedAt).toISOString(),
      timings: result.observation.timings,
      ...(result.observation.validators ? { validators: result.observation.validators } : {}),
    };
    const reply = (await STORE_RESULT.run(
      this.redis,
      [
        coordinatorKeys.round(result.roundId),
        coordinatorKeys.monitorGone(result.monitorId),
        coordinatorKeys.monitorState(result.monitorId),
        coordinatorKeys.monitorHistory(result.monitorId),
      ],
      [
        result.monitorId,
        result.region,
        JSON.stringify(report),
        JSON.stringify(record),
        JSON.stringify(latest),
        this.config.resultHistoryMax,
        this.historyMinId(),
        this.historyMaxBytes(),
        healthy ?? '',
        signatureOf(result.verdict),
        // Kept like the latest result: only a round newer than the region's latest replaces it.
        result.baseline ? JSON.stringify(result.baseline) : '',
      ],
    )) as [string, number, number, number];
    const [kind, answered, expected, late] = reply;
    if (kind === 'stored') return { kind, answered, expected, late: late === 1 };
    return { kind: kind as 'duplicate' | 'unknown_monitor' | 'unknown_round' | 'unexpected_region' };
  }

  /**
   * Finalizes the round once; regions without a result become `missing` with `reasons[region]`.
   * Returns the summary to whoever finalized it, `null` to everyone else.
   */
  async finalize(roundId: string, monitorId: string, by: FinalizedBy, reasons: Record<string, string>): Promise<RoundSummary | null> {
    if (monitorIdOfRound(roundId) !== monitorId) return null;
    const summary = await FINALIZE_ROUND.run(
      this.redis,
      [
        coordinatorKeys.round(roundId),
        coordinatorKeys.monitorGone(monitorId),
        coordinatorKeys.monitorState(monitorId),
        coordinatorKeys.monitorHistory(monitorId),
        coordinatorKeys.roundSummary(roundId),
      ],
      [
        this.clock.now(),
        by,
        this.config.resultHistoryMax,
        this.historyMinId(),
        JSON.stringify(reasons),
        'no result before the deadline',
        this.historyMaxBytes(),
        LATE_RESULT_WINDOW_MS,
      ],
    );
    return typeof summary === 'string' ? (JSON.parse(summary) as RoundSummary) : null;
  }

  /** The round as created, with the regions that answered so far; `null` when unknown or expired. */
  async get(roundId: string): Promise<RoundRecord | null> {
    const fields = await this.redis.hgetall(coordinatorKeys.round(roundId));
    if (!fields['roundId'] || !fields['monitorId'] || !fields['regions']) return null;
    return {
      roundId: fields['roundId'],
      monitorId: fields['monitorId'],
      scheduledAt: Number(fields['scheduledAt']),
      deadline: Number(fields['deadline']),
      regions: JSON.parse(fields['regions']) as string[],
      answeredRegions: Object.keys(fields)
        .filter((field) => field.startsWith('r:'))
        .map((field) => field.slice(2)),
      finalizedAt: fields['finalizedAt'] ? Number(fields['finalizedAt']) : null,
    };
  }

  /** The monitor's latest finalized round, if any. */
  async latestRound(monitorId: string): Promise<RoundSummary | null> {
    const json = await this.redis.hget(coordinatorKeys.monitorState(monitorId), 'round');
    return json === null ? null : (JSON.parse(json) as RoundSummary);
  }

  /** The latest result of each region that has answered the monitor. */
  async latestRegionResults(monitorId: string): Promise<Record<string, LatestRegionResult>> {
    return (await this.regionMemory(monitorId)).latest;
  }

  /** Forgets the regions' learned baselines: each region learns afresh from its next rounds. */
  async forgetBaselines(monitorId: string, regions: readonly string[]): Promise<number> {
    if (regions.length === 0) return 0;
    return this.redis.hdel(coordinatorKeys.monitorState(monitorId), ...regions.map((region) => `baseline:${region}`));
  }

  /**
   * What the monitor's state remembers of each region: its latest result and its learned baseline
   * (as the agent sent it; the agent validates it again before use), by region.
   */
  async regionMemory(monitorId: string): Promise<{ latest: Record<string, LatestRegionResult>; baselines: Record<string, Record<string, unknown>> }> {
    const fields = await this.redis.hgetall(coordinatorKeys.monitorState(monitorId));
    const latest: Record<string, LatestRegionResult> = {};
    const baselines: Record<string, Record<string, unknown>> = {};
    for (const [field, value] of Object.entries(fields)) {
      const match = /^(region|baseline):([^:]+)$/.exec(field);
      const region = match?.[2];
      if (!region) continue;
      if (match[1] === 'region') latest[region] = JSON.parse(value) as LatestRegionResult;
      else baselines[region] = JSON.parse(value) as Record<string, unknown>;
    }
    return { latest, baselines };
  }

  /** The monitor's result history, newest first. */
  async history(monitorId: string, query: HistoryQuery): Promise<HistoryPage> {
    const end = query.cursor !== undefined ? `(${query.cursor}` : query.until !== undefined ? String(query.until) : '+';
    const start = query.since !== undefined ? String(query.since) : '-';
    const entries = await this.redis.xrevrange(coordinatorKeys.monitorHistory(monitorId), end, start, 'COUNT', query.limit);
    const items = entries.map(([id, fields]) => {
      const values = fieldsOf(fields);
      const healthy = values['h'];
      const record = healthy !== undefined ? recordOfHealthyEntry(monitorId, healthy) : (JSON.parse(values['record'] ?? '{}') as ResultRecord);
      return { ...record, recordedAt: Number(id.split('-')[0]), late: values['late'] === '1' };
    });
    const last = entries[entries.length - 1];
    return { items, nextCursor: entries.length === query.limit && last ? last[0] : null };
  }

  private historyMaxBytes(): number {
    return this.config.resultHistoryMaxBytes ?? DEFAULT_RESULT_HISTORY_MAX_BYTES;
  }

  private historyMinId(): number {
    return this.clock.now() - this.config.resultHistoryDays * 24 * 3_600 * 1_000;
  }
}

function fieldsOf(flat: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) values[flat[i]!] = flat[i + 1]!;
  return values;
}
