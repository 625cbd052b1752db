import { CATALOG_PREFIX, shardOf, shardPrefix } from '@crosscheck/contract';

export { CATALOG_PREFIX, shardOf, shardPrefix, STATE_SHARD_TAGS, STATE_SHARDS } from '@crosscheck/contract';

/**
 * Every key of the coordinator's own. Agents never reach these; the regions' keys
 * (`cc:r:{<region>}:*`) are the wire contract's (`@crosscheck/contract`).
 *
 * Two kinds, each under a Redis Cluster hash tag so that every Lua script and transaction touches
 * one slot (the README's "Running on Redis Cluster" shows the layout):
 *
 * - **The catalog**, `cc:{c}:*`: monitors as configured, their index, the region registry, API
 *   tokens, webhook endpoints and their queue (`cc:{c}:webhook-deliveries:*`), status pages, rate limits. It is
 *   written at the API's pace and lives on one shard.
 * - **The state shards**, `cc:{s<N>.<k>}:*` for N in 0..{@link STATE_SHARDS}-1: everything a round
 *   writes (rounds, results, history, incident machines, incidents, the outbox, the check deadlines)
 *   and the shard's BullMQ queues (`rounds`, `round-deadlines`). A monitor belongs to one shard
 *   ({@link shardOf}); its round, result, history and incident keys all carry that shard's tag, so a
 *   round's scripts touch one slot, and the shards spread the rounds' work over the cluster's nodes.
 *   Each tag is chosen to hash into its own 1/16 of the 16,384 slots, so that a cluster whose nodes
 *   own even slot ranges (what `redis-cli --cluster create` makes) gets an even share of shards.
 *
 * A monitor's catalog entry and its state are on different slots: scripts on the state side never
 * read the catalog. A deleted monitor leaves a tombstone in its shard (`monitorGone`) that every
 * state script checks, so a late result or round of a deleted monitor writes nothing.
 */

/** Length of a monitor id (`mon_` and 20 characters, `MONITOR_ID_PATTERN`). */
const MONITOR_ID_LENGTH = 24;

/** The monitor id a round id starts with. */
export function monitorIdOfRound(roundId: string): string {
  return roundId.slice(0, MONITOR_ID_LENGTH);
}

/** The monitor id an incident id (`inc_<monitorId>_<openedAt>`) embeds. */
export function monitorIdOfIncident(incidentId: string): string {
  return incidentId.slice(4, 4 + MONITOR_ID_LENGTH);
}

const catalog = (rest: string): string => `${CATALOG_PREFIX}:${rest}`;
const ofMonitor = (monitorId: string, rest: string): string => `${shardPrefix(shardOf(monitorId))}:${rest}`;
const ofShard = (shard: number, rest: string): string => `${shardPrefix(shard)}:${rest}`;

export const coordinatorKeys = {
  // ---- monitors
  /** Hash: a monitor (`json`, `revision`, `regions`, and `key` when it has one). */
  monitor: (monitorId: string) => catalog(`monitor:${monitorId}`),
  /** Sorted set, every score 0: monitor ids, listed in id order (ids sort by creation time). */
  monitorIndex: () => catalog('monitors'),
  /** Hash: monitor key → monitor id, for the monitors created with a key (a key is unique and never changes). */
  monitorKeys: () => catalog('monitor-keys'),
  /**
   * Hash: the monitor's latest finalized round (`round`, `round:at`), latest result per region
   * (`region:<r>`, `region:<r>:at`, and `region:<r>:sig`, the signature that decides whether its
   * next `up` result is stored compact), the region's learned healthy baseline (`baseline:<r>`, as
   * the agent sent it with the result, replaced only by a newer round's), and `history:bytes`.
   */
  monitorState: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:state`),
  /**
   * String, expires after {@link MONITOR_TOMBSTONE_TTL_MS}: the monitor was deleted. Every state
   * script refuses to write for a monitor that has one (its rounds and late results are ignored).
   */
  monitorGone: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:gone`),
  /** Stream: the monitor's result history (one entry per region per round, `missing` included). */
  monitorHistory: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:history`),
  /**
   * Hash: monitors deleted whose cleanup (schedule, waiting checks, open incident) is not finished:
   * monitor id → `{deletedAt, name, regions}` JSON. An entry goes once its cleanup is done.
   */
  deletedMonitors: () => catalog('monitors:deleted'),

  /**
   * String, expiring with its lease: the configuration apply lock (`ApplyLockRecord` JSON), held by
   * one `crosscheck apply` at a time so that two applies never interleave their writes.
   */
  applyLock: () => catalog('apply-lock'),

  // ---- regions (the registry)
  /** Set: every region of the registry, named by a monitor or created by an operator. */
  regions: () => catalog('regions'),
  /** Hash: one region of the registry (`name`, `managedBy`, `createdAt`). */
  region: (region: string) => catalog(`region:${region}`),
  /** Set: ids of the monitors checking from a region. */
  regionMonitors: (region: string) => catalog(`region:${region}:monitors`),
  /**
   * Hash: region → SHA-256 (hex) of the password of its agents' Redis ACL user, for the regions
   * whose credentials this coordinator issued: what the ACL reconcile re-applies on every node
   * (ACL users live on each node, not in the data). The password itself is never stored.
   */
  regionCredentials: () => catalog('region-acl'),
  /** What `region(r)` and `regionMonitors(r)` start with, for Lua scripts that build the keys from a region. */
  regionMonitorsPrefix: () => catalog('region:'),

  // ---- rounds and their checks
  /**
   * Hash: one round: expected regions, deadline, each region's result, finalization. Expires an hour
   * past its deadline while open; once finalized it is a tombstone without reports that expires a
   * minute past its deadline (`LATE_RESULT_WINDOW_MS`).
   */
  round: (roundId: string) => ofMonitor(monitorIdOfRound(roundId), `round:${roundId}`),
  /**
   * String: a finalized round's summary (RoundSummary JSON) until its transition is applied to the
   * monitor's incident state (that commit deletes it). Expires with the round's tombstone.
   */
  roundSummary: (roundId: string) => ofMonitor(monitorIdOfRound(roundId), `round:${roundId}:summary`),
  /** Hash: an API token: `json` (id, name, scope, createdAt), `hash` (SHA-256 hex of the token), `lastUsedAt`. */
  token: (tokenId: string) => catalog(`token:${tokenId}`),
  /** String: `{id, scope}` of the token whose SHA-256 (hex) this is: the lookup of every request. */
  tokenByHash: (sha256Hex: string) => catalog(`token-hash:${sha256Hex}`),
  /** Sorted set, every score 0: API token ids, listed in id order (ids sort by creation time). */
  tokenIndex: () => catalog('tokens'),
  /** String, expires within a minute: a rate limit's theoretical arrival time (GCRA), per subject (`token:<id>`, `address:<ip>`). */
  rateLimit: (subject: string) => catalog(`rate:${subject}`),
  /** Sorted set: every check job of the shard's monitors dispatched and not yet past its deadline, `[region, jobId]` JSON scored by deadline. */
  checkDeadlines: (shard: number) => ofShard(shard, 'checks:deadlines'),
  /** Sorted set: the same entries for one monitor, to withdraw its checks when it is deleted. Expires. */
  monitorChecks: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:checks`),
  // ---- maintenance windows
  /** Hash: a maintenance window (`json`, `revision`, and `key` when it has one). */
  maintenanceWindow: (windowId: string) => catalog(`maintenance:${windowId}`),
  /** Sorted set, every score 0: maintenance window ids, in id order (ids sort by creation time). */
  maintenanceIndex: () => catalog('maintenance-windows'),
  /** Hash: maintenance window key → id. */
  maintenanceKeys: () => catalog('maintenance-keys'),
  /** String (a counter): +1 on every maintenance write, so each coordinator's cached calendar knows to reload. */
  maintenanceVersion: () => catalog('maintenance-version'),
  /** String, expires: the claim of one `maintenance.*` event (its id), in the shard whose outbox it goes to. */
  maintenanceEventClaim: (shard: number, eventId: string) => ofShard(shard, `maintenance-event:${eventId}`),
  /** String, expires: held by the coordinator sweeping expired checks now. */
  checkSweepLock: () => catalog('checks:sweep-lock'),

  // ---- incidents
  /**
   * Hash: the monitor's incident machine. `state` (MonitorIncidentState JSON), `revision` (bumped on
   * every write; the compare-and-set of a transition), `classification` (latest round's
   * reconciliation summary JSON), `classification:at` (its round's scheduled time), and
   * `applied:at` / `applied:round` (the latest round applied: a round at or before it is refused).
   */
  incidentState: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:incident-state`),
  /** String: one incident as JSON (IncidentRecord). Expires a while after it resolves. */
  incident: (incidentId: string) => ofMonitor(monitorIdOfIncident(incidentId), `incident:${incidentId}`),
  /** List: the incident's timeline, one JSON entry per transition, oldest first. Expires with the incident. */
  incidentTimeline: (incidentId: string) => ofMonitor(monitorIdOfIncident(incidentId), `incident:${incidentId}:timeline`),
  /** Sorted set: every incident id, scored by `openedAt` (epoch ms). */
  incidents: (shard: number) => ofShard(shard, 'incidents'),
  /** Sorted set: open incident ids, scored by `openedAt`. */
  openIncidents: (shard: number) => ofShard(shard, 'incidents:open'),
  /** Sorted set: a monitor's incident ids, scored by `openedAt`. Expires after its monitor is deleted. */
  monitorIncidents: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:incidents`),
  /** Stream: events waiting for the event sink (the transactional outbox); consumer group `relay`. */
  outbox: (shard: number) => ofShard(shard, 'outbox'),

  // ---- rollups (uptime and latency history; written by the round's commit, see rollups/)
  /**
   * Hash: the monitor's rollups still being filled, the open minute (`m`), hour (`h`) and day (`d`):
   * each one's start, and for `h` and `d` the regions of its lines (see `rollup-encoding.ts`).
   * Expires a day retention past its latest minute.
   */
  rollupOpen: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:rollup`),
  /**
   * String: what the open minute, hour or day holds so far, appended to: the minute's rounds
   * (`;`-separated JSON deltas), the hour's closed minutes, the day's closed hours (lines of a chunk).
   */
  rollupLog: (monitorId: string, tier: 'm' | 'h' | 'd') => ofMonitor(monitorId, `monitor:${monitorId}:rollup:${tier}log`),
  /** What the rollup chunk keys start with, for the commit script that builds them from it. */
  rollupPrefix: (monitorId: string) => ofMonitor(monitorId, `monitor:${monitorId}:rollup:`),
  /**
   * String: the closed buckets of one chunk of a tier (`m`: an hour of minutes, `h`: a day of hours,
   * `d`: 32 days), numbered by chunk start ÷ chunk length. Expires at the chunk's end + the tier's retention.
   */
  rollupChunk: (monitorId: string, tier: 'm' | 'h' | 'd', chunk: number) => ofMonitor(monitorId, `monitor:${monitorId}:rollup:${tier}:${chunk}`),

  // ---- webhooks
  /**
   * Hash: a webhook endpoint. `json` (the endpoint's settings), `secret` (sealed), `previousSecret`
   * (sealed) and `previousSecretExpiresAt` (epoch ms) during a rotation's overlap, `enabled`
   * (`1`/`0`), `disabledReason`, `disabledAt`, `revision` (bumped by every change of settings or
   * state; absent on endpoints stored before revisions: 1), and `key` when it has one.
   */
  webhook: (webhookId: string) => catalog(`webhook:${webhookId}`),
  /** Sorted set, every score 0: endpoint ids, listed in id order (ids sort by creation time). */
  webhookIndex: () => catalog('webhooks'),
  /** Hash: webhook key → endpoint id, for the endpoints created with a key. */
  webhookKeys: () => catalog('webhook-keys'),
  /** List, newest first: the endpoint's delivery attempts and state changes as JSON, trimmed to the newest N. */
  webhookDeliveries: (webhookId: string) => catalog(`webhook:${webhookId}:deliveries`),
  /** Hash: the endpoint's circuit breaker (`state`, `failures`, `failingSince`, `openUntil`, `probeUntil`, `opens`); absent = closed. */
  webhookCircuit: (webhookId: string) => catalog(`webhook:${webhookId}:circuit`),
  /** Sorted set: the endpoint's dead letters (delivery ids), scored by when each delivery was queued (epoch ms). */
  webhookDeadLetters: (webhookId: string) => catalog(`webhook:${webhookId}:dead`),
  /**
   * Sorted set: the endpoint's deliveries of one incident (or of one monitor's region events) not yet
   * finished, scored by event time: a delivery waits while an earlier one of the same incident is
   * still under way, so a receiver that was down gets them in order. Expires 30 days after the last add.
   */
  webhookOrder: (webhookId: string, subject: string) => catalog(`webhook:${webhookId}:order:${subject}`),
  /** String: the summary last sent to a PagerDuty channel for a `dedup_key` (an update that says nothing new is not sent). */
  pagerDutySummary: (channelId: string, dedupKey: string) => catalog(`webhook:${channelId}:pd:${dedupKey}`),
  /** Hash: a notification policy: `json` (its settings), `revision`, and `key` when it has one. */
  policy: (policyId: string) => catalog(`policy:${policyId}`),
  /** Sorted set, every score 0: policy ids in id order. */
  policyIndex: () => catalog('policies'),
  /** Hash: policy key → policy id. */
  policyKeys: () => catalog('policy-keys'),
  /** String: the id of the default policy, while there is one (there is at most one). */
  policyDefault: () => catalog('policy-default'),
  /** Sorted set: open incidents (by id) scored by when they opened, for reminders; with `reminderEvent` their latest event. */
  reminderIncidents: () => catalog('reminder-incidents'),
  /** String: the latest `incident.opened` / `.updated` body of an open incident, what its reminders say. */
  reminderEvent: (incidentId: string) => catalog(`reminder-event:${incidentId}`),
  /** String, expiring: a reminder or escalation of an incident claimed by a coordinator (at most one per interval across all). */
  reminderClaim: (incidentId: string, policyId: string, step: string) => catalog(`reminder:${incidentId}:${policyId}:${step}`),

  // ---- status pages
  /** Hash: a status page: `json` (its settings), `revision`, `slug`, and `key` when it has one. */
  statusPage: (pageId: string) => catalog(`status-page:${pageId}`),
  /** Sorted set, every score 0: status page ids, listed in id order (ids sort by creation time). */
  statusPageIndex: () => catalog('status-pages'),
  /** Hash: status page key → page id, for the pages created with a key. */
  statusPageKeys: () => catalog('status-page-keys'),
  /** Hash: slug → page id: what `/status/<slug>` reads, and what keeps slugs unique. */
  statusPageSlugs: () => catalog('status-page-slugs'),
} as const;

/** Consumer group of the outbox relays (one consumer per coordinator). */
export const OUTBOX_GROUP = 'relay';

/**
 * How long a deleted monitor's tombstone lasts: longer than anything of it can still arrive (a round
 * or check retried, a late result), all of which is bounded by the rounds' retention.
 */
export const MONITOR_TOMBSTONE_TTL_MS = 7 * 24 * 3_600_000;
