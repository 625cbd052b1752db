import type {
  CauseCode,
  CauseSeverity,
  Classification,
  IncidentClassification,
  IncidentEventType,
  IncidentSeverity,
  RegionReading,
  RegionStatus,
} from '@crosscheck/checks';

/** Whether an incident is still going on. */
export type IncidentState = 'open' | 'resolved';

/** One cause of a region's verdict, as incidents and webhooks carry it (message cut to a bounded length). */
export interface CauseDigest {
  code: CauseCode;
  severity: CauseSeverity;
  message: string;
}

/** The key evidence of one region's answer: what a person needs to see why it was read so. */
export interface EvidenceDigest {
  httpStatus: number | null;
  cache: { hit: boolean | null; ageSeconds: number | null; signals: string[] };
  /** Status the cache-bypassing request got; `null` when none was made or it got no response. */
  bypassStatus: number | null;
  /** What the bypass request hit instead of a response (e.g. `connection_refused`), when known. */
  bypassError: string | null;
  /** Vendor of a proxy's or load balancer's own error page (nginx, HAProxy, AWS ALB, ...) users got. */
  errorPageVendor: string | null;
  /** Vendor of the error page the cache-bypassing request got behind a cache (a masked outage). */
  bypassErrorPageVendor: string | null;
  probeError: string | null;
  totalMs: number | null;
  finalUrl: string | null;
}

/** One region of a round, as an incident's timeline and the webhook payloads show it. */
export interface RegionDigest {
  status: RegionStatus;
  /** The region is one the classification is about. */
  affected: boolean;
  /** How reconcile read the answer (`down_behind_cache`, `down_direct`, `missing`, ...). */
  reading: RegionReading;
  causes: CauseDigest[];
  evidence: EvidenceDigest;
  /** Why a region is blind (missing or refused), when known. */
  note: string | null;
}

/** The latest round's reconciliation, as `/v1/monitors/{id}/status` shows it. */
export interface ClassificationSummary {
  classification: Classification;
  affectedRegions: string[];
  blindRegions: string[];
  reason: string;
  /** The deciding rule, then the cause codes that carried the decision. */
  decidedBy: string[];
  roundId: string;
  /** ISO 8601. */
  scheduledAt: string;
}

/** The monitor an incident is about, as it was at the incident's latest transition. */
export interface IncidentMonitorRef {
  id: string;
  name: string;
  url: string;
}

/** An incident as stored in `cc:{<shard>}:incident:<id>` and returned by the API. Times are ISO 8601. */
export interface IncidentRecord {
  /** `inc_<monitorId>_<scheduledAt of the round that opened it>`. */
  id: string;
  monitorId: string;
  monitor: IncidentMonitorRef;
  state: IncidentState;
  classification: IncidentClassification;
  severity: IncidentSeverity;
  affectedRegions: string[];
  /** The first round of the streak that opened it: when the trouble was first seen. */
  startedAt: string;
  /** The round that confirmed it. */
  openedAt: string;
  openedRoundId: string;
  /** The round of the latest open, update or resolve. */
  updatedAt: string;
  resolvedAt: string | null;
  resolvedRoundId: string | null;
  /** The reason of the latest transition's round. */
  reason: string;
  /** `/v1/incidents/<id>`. */
  url: string;
  /**
   * ISO 8601: when someone acknowledged it (the first acknowledgement; kept by every later
   * transition). Absent in records never acknowledged, which the API shows as `null`.
   */
  acknowledgedAt?: string | null;
  /** Who acknowledged it, as they said (`by`); `null` when they did not say. */
  acknowledgedBy?: string | null;
}

/** The timeline entry an acknowledgement leaves. */
export interface AcknowledgementEntry {
  type: 'acknowledged';
  /** ISO 8601. */
  at: string;
  by: string | null;
}

/** One entry of an incident's timeline as read: a transition, or an acknowledgement. */
export type IncidentTimelineEntry = TimelineEntry | AcknowledgementEntry;

/** One transition of an incident, with its round and the per-region evidence. */
export interface TimelineEntry {
  /** The event's id: the `webhook-id` of its deliveries. */
  eventId: string;
  type: Extract<IncidentEventType, `incident.${string}`>;
  /** ISO 8601: the round's scheduled time. */
  at: string;
  roundId: string;
  /** What the round was classified as. */
  classification: Classification;
  /** The incident's classification before and after the transition (`null`: none open). */
  incidentClassification: { before: IncidentClassification | null; after: IncidentClassification | null };
  affectedRegions: string[];
  blindRegions: string[];
  reason: string;
  regions: Record<string, RegionDigest>;
}

/** `GET /v1/incidents/{id}`. */
export interface IncidentDetail extends IncidentRecord {
  timeline: IncidentTimelineEntry[];
}

/** `GET /v1/incidents`: newest first. */
export interface IncidentPage {
  items: IncidentRecord[];
  /** Pass as `cursor` for older incidents; `null` on the last page. */
  nextCursor: string | null;
}
