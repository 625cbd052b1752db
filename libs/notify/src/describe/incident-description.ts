import type { IncidentClassification, IncidentSeverity } from '@crosscheck/checks';
import type { DashboardLinks } from '../links/dashboard-links';
import type { NotifyEventType } from '../events/notify-event';
import type { RegionDigest } from '../words/evidence-words';

/**
 * How loud a notification is: an incident's severity, `warning` for a region gone blind (the
 * monitoring itself lost an eye, nobody's service is down for it), `info` for the rest.
 */
export type NotifySeverity = IncidentSeverity | 'warning' | 'info';

/** One region in words. */
export interface RegionWords {
  region: string;
  /** `Varnish served a 200 aged 3 h; the bypass got 503 from Varnish`. */
  words: string;
  /** The region is part of what the event is about (an affected region, or the region that went blind). */
  decisive: boolean;
  /** The region's digest, for payloads that carry the raw facts beside the words. */
  digest: RegionDigest | null;
}

/**
 * An event in words, the one source every channel renders from. Plain text, not escaped for any
 * channel: each payload builder escapes and cuts it to its own limits.
 */
export interface IncidentDescription {
  type: NotifyEventType;
  /** `Masked outage: Shop storefront`. */
  title: string;
  /** A paragraph that stands on its own: what, where, since when, the decisive evidence. */
  summary: string;
  severity: NotifySeverity;
  /** The incident's classification (for an update: after it), or `null` when the event has none. */
  classification: IncidentClassification | null;
  /** `Masked outage: a cache hides a real outage`; empty when the event has no classification. */
  classificationWords: string;
  /** When the trouble was first seen (ISO 8601), or `null`. */
  since: string | null;
  /** `08:59 UTC on 25 Nov 2026`, or empty. */
  sinceWords: string;
  /** For a resolve (and a reminder): how long it lasted, in words (`42 min`); otherwise `null`. */
  duration: string | null;
  /** Every region of the round, decisive ones first, then by name. */
  regions: RegionWords[];
  /** `eu-west and us-east: Varnish served a 200 aged 3 h; the bypass got 503 from Varnish`: the decisive regions grouped by what they saw. */
  decisiveEvidence: string[];
  /** Regions that gave no usable answer in the round. */
  blindRegions: string[];
  /** The reason line the coordinator wrote (codes and all), for those who want the machine's words. */
  reason: string;
  monitor: { id: string; name: string; url: string } | null;
  /** Monitors a maintenance window covers; empty for other events. */
  monitors: Array<{ id: string; name: string; url: string }>;
  incidentId: string | null;
  links: DashboardLinks;
}
