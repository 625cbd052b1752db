import { COORDINATOR_PREFIX } from '@crosscheck/contract';

/**
 * Every key of the coordinator's own, all under `cc:c:` (its BullMQ queues share the prefix:
 * `cc:c:rounds:*`, `cc:c:round-deadlines:*`, `cc:c:webhook-deliveries:*`). Agents never reach
 * these; the regions' keys (`cc:r:<region>:*`) are the wire contract's (`@crosscheck/contract`).
 */
export const coordinatorKeys = {
  // ---- monitors
  /** Hash: a monitor (`json`, `revision`, `regions`). */
  monitor: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}`,
  /** Sorted set, every score 0: monitor ids, listed in id order (ids sort by creation time). */
  monitorIndex: () => `${COORDINATOR_PREFIX}:monitors`,
  /**
   * Hash: the monitor's latest finalized round (`round`, `round:at`), latest result per region
   * (`region:<r>`, `region:<r>:at`, and `region:<r>:sig`, the signature that decides whether its
   * next `up` result is stored compact), and `history:bytes`.
   */
  monitorState: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:state`,
  /** Stream: the monitor's result history (one entry per region per round, `missing` included). */
  monitorHistory: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:history`,
  /**
   * Hash: monitors deleted whose cleanup (schedule, waiting checks, open incident) is not finished:
   * monitor id → `{deletedAt, name, regions}` JSON. An entry goes once its cleanup is done.
   */
  deletedMonitors: () => `${COORDINATOR_PREFIX}:monitors:deleted`,

  // ---- regions (the registry)
  /** Set: every region of the registry, named by a monitor or created by an operator. */
  regions: () => `${COORDINATOR_PREFIX}:regions`,
  /** Hash: one region of the registry (`name`, `managedBy`, `createdAt`). */
  region: (region: string) => `${COORDINATOR_PREFIX}:region:${region}`,
  /** Set: ids of the monitors checking from a region. */
  regionMonitors: (region: string) => `${COORDINATOR_PREFIX}:region:${region}:monitors`,
  /** What `region(r)` and `regionMonitors(r)` start with, for Lua scripts that build the keys from a region. */
  regionMonitorsPrefix: () => `${COORDINATOR_PREFIX}:region:`,

  // ---- rounds and their checks
  /**
   * Hash: one round: expected regions, deadline, each region's result, finalization. Expires an hour
   * past its deadline while open; once finalized it is a tombstone without reports that expires a
   * minute past its deadline (`LATE_RESULT_WINDOW_MS`).
   */
  round: (roundId: string) => `${COORDINATOR_PREFIX}:round:${roundId}`,
  /**
   * String: a finalized round's summary (RoundSummary JSON) until its transition is applied to the
   * monitor's incident state (that commit deletes it). Expires with the round's tombstone.
   */
  roundSummary: (roundId: string) => `${COORDINATOR_PREFIX}:round:${roundId}:summary`,
  /** Hash: an API token: `json` (id, name, scope, createdAt), `hash` (SHA-256 hex of the token), `lastUsedAt`. */
  token: (tokenId: string) => `${COORDINATOR_PREFIX}:token:${tokenId}`,
  /** String: `{id, scope}` of the token whose SHA-256 (hex) this is: the lookup of every request. */
  tokenByHash: (sha256Hex: string) => `${COORDINATOR_PREFIX}:token-hash:${sha256Hex}`,
  /** Sorted set, every score 0: API token ids, listed in id order (ids sort by creation time). */
  tokenIndex: () => `${COORDINATOR_PREFIX}:tokens`,
  /** String, expires within a minute: a rate limit's theoretical arrival time (GCRA), per subject (`token:<id>`, `address:<ip>`). */
  rateLimit: (subject: string) => `${COORDINATOR_PREFIX}:rate:${subject}`,
  /** Sorted set: every check job dispatched and not yet past its deadline, `[region, jobId]` JSON scored by deadline. */
  checkDeadlines: () => `${COORDINATOR_PREFIX}:checks:deadlines`,
  /** Sorted set: the same entries for one monitor, to withdraw its checks when it is deleted. Expires. */
  monitorChecks: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:checks`,
  /** String, expires: held by the coordinator sweeping expired checks now. */
  checkSweepLock: () => `${COORDINATOR_PREFIX}:checks:sweep-lock`,

  // ---- incidents
  /**
   * Hash: the monitor's incident machine. `state` (MonitorIncidentState JSON), `revision` (bumped on
   * every write; the compare-and-set of a transition), `classification` (latest round's
   * reconciliation summary JSON), `classification:at` (its round's scheduled time), and
   * `applied:at` / `applied:round` (the latest round applied: a round at or before it is refused).
   */
  incidentState: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:incident-state`,
  /** String: one incident as JSON (IncidentRecord). Expires a while after it resolves. */
  incident: (incidentId: string) => `${COORDINATOR_PREFIX}:incident:${incidentId}`,
  /** List: the incident's timeline, one JSON entry per transition, oldest first. Expires with the incident. */
  incidentTimeline: (incidentId: string) => `${COORDINATOR_PREFIX}:incident:${incidentId}:timeline`,
  /** Sorted set: every incident id, scored by `openedAt` (epoch ms). */
  incidents: () => `${COORDINATOR_PREFIX}:incidents`,
  /** Sorted set: open incident ids, scored by `openedAt`. */
  openIncidents: () => `${COORDINATOR_PREFIX}:incidents:open`,
  /** Sorted set: a monitor's incident ids, scored by `openedAt`. Expires after its monitor is deleted. */
  monitorIncidents: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:incidents`,
  /** Stream: events waiting for the event sink (the transactional outbox); consumer group `relay`. */
  outbox: () => `${COORDINATOR_PREFIX}:outbox`,

  // ---- webhooks
  /**
   * Hash: a webhook endpoint. `json` (the endpoint's settings), `secret` (sealed), `previousSecret`
   * (sealed) and `previousSecretExpiresAt` (epoch ms) during a rotation's overlap, `enabled`
   * (`1`/`0`), `disabledReason`, `disabledAt`.
   */
  webhook: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}`,
  /** Sorted set, every score 0: endpoint ids, listed in id order (ids sort by creation time). */
  webhookIndex: () => `${COORDINATOR_PREFIX}:webhooks`,
  /** List, newest first: the endpoint's delivery attempts and state changes as JSON, trimmed to the newest N. */
  webhookDeliveries: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:deliveries`,
  /** Hash: the endpoint's circuit breaker (`state`, `failures`, `failingSince`, `openUntil`, `probeUntil`, `opens`); absent = closed. */
  webhookCircuit: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:circuit`,
  /** Sorted set: the endpoint's dead letters (delivery ids), scored by when each delivery was queued (epoch ms). */
  webhookDeadLetters: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:dead`,
} as const;

/** Consumer group of the outbox relays (one consumer per coordinator). */
export const OUTBOX_GROUP = 'relay';
