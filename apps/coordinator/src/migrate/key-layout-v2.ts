import { CATALOG_PREFIX, regionPrefix, shardOf, shardPrefix } from '@crosscheck/contract';
import { coordinatorKeys, monitorIdOfIncident, monitorIdOfRound } from '../redis/coordinator-keys';

/**
 * The move from the key layout without hash tags (contract version 1: `cc:c:*`, `cc:r:<region>:*`)
 * to today's (`cc:{c}:*`, `cc:{<shard>}:*`, `cc:r:{<region>}:*`). Version 1 only ever ran on one
 * Redis, where every key can be renamed in place. What each old key becomes is decided here, as
 * plain data, so that it can be tested without Redis; `migrate-key-layout.ts` applies it.
 */
export type KeyMove =
  /** RENAME to `to` (keeps the value and its TTL). */
  | { kind: 'rename'; to: string }
  /**
   * A sorted set of one index split by the shard of each member's monitor (`members` gives the
   * monitor id of a member, `to` the new key of a shard).
   */
  | { kind: 'split-zset'; monitorOf: (member: string) => string; to: (shard: number) => string }
  /** The outbox stream: every entry to its event's shard's stream. */
  | { kind: 'split-outbox' }
  /** Dropped: rebuilt by the coordinator (job schedulers, deadline jobs, locks). */
  | { kind: 'drop'; why: string };

const OLD_COORDINATOR = 'cc:c:';
const MONITOR_KEY = /^monitor:(mon_[a-z2-7]{20})(:(state|history|checks|incident-state|incidents))?$/;
const TRANSITION_KEY = /^incident-transition:(mon_[a-z2-7]{20}):/;
const INCIDENT_KEY = /^incident:(inc_mon_[a-z2-7]{20}_\d+)(:timeline)?$/;
const ROUND_KEY = /^round:(mon_[a-z2-7]{20}-\d+)$/;
const OLD_REGION = /^cc:r:([a-z0-9-]{1,32}):(.+)$/;

/** What becomes of a key of the old layout; `null` for a key of the new layout or of no layout. */
export function moveOf(key: string): KeyMove | null {
  const region = OLD_REGION.exec(key);
  if (region) return { kind: 'rename', to: `${regionPrefix(region[1]!)}:${region[2]!}` };
  if (!key.startsWith(OLD_COORDINATOR)) return null;
  const rest = key.slice(OLD_COORDINATOR.length);
  if (/^(rounds|round-deadlines):/.test(rest)) return { kind: 'drop', why: 'each monitor\'s job scheduler is upserted again by the schedule reconciler; a round in flight is lost' };
  if (rest === 'checks:sweep-lock') return { kind: 'drop', why: 'a lock, taken again' };
  if (rest === 'checks:deadlines') {
    // Members are `["<region>","<jobId>"]`, the job id starting with the round id, hence the monitor id.
    return { kind: 'split-zset', monitorOf: (member) => monitorIdOfRound((JSON.parse(member) as [string, string])[1]), to: (shard) => coordinatorKeys.checkDeadlines(shard) };
  }
  if (rest === 'incidents') return { kind: 'split-zset', monitorOf: monitorIdOfIncident, to: (shard) => coordinatorKeys.incidents(shard) };
  if (rest === 'incidents:open') return { kind: 'split-zset', monitorOf: monitorIdOfIncident, to: (shard) => coordinatorKeys.openIncidents(shard) };
  if (rest === 'outbox') return { kind: 'split-outbox' };
  const monitor = MONITOR_KEY.exec(rest);
  if (monitor && monitor[2] !== undefined) return { kind: 'rename', to: `${shardPrefix(shardOf(monitor[1]!))}:${rest}` };
  const transition = TRANSITION_KEY.exec(rest);
  if (transition) return { kind: 'rename', to: `${shardPrefix(shardOf(transition[1]!))}:${rest}` };
  const incident = INCIDENT_KEY.exec(rest);
  if (incident) return { kind: 'rename', to: `${shardPrefix(shardOf(monitorIdOfIncident(incident[1]!)))}:${rest}` };
  const round = ROUND_KEY.exec(rest);
  if (round) return { kind: 'rename', to: `${shardPrefix(shardOf(monitorIdOfRound(round[1]!)))}:${rest}` };
  // Everything else is the catalog: monitors as configured, indexes, regions, tokens, webhooks and
  // their delivery queue, rate limits, deletions.
  return { kind: 'rename', to: `${CATALOG_PREFIX}:${rest}` };
}

/** The shard of an outbox entry, from the monitor id its event id (`evt_<monitorId>_…`) embeds; `null` when it has none. */
export function outboxShardOf(fields: string[]): number | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'id') continue;
    const match = /^evt_(mon_[a-z2-7]{20})_/.exec(fields[i + 1]!);
    return match ? shardOf(match[1]!) : null;
  }
  return null;
}
