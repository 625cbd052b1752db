import { describeIncident } from '../../describe/describe-incident';
import type { IncidentDescription, NotifySeverity } from '../../describe/incident-description';
import type { NotifyEvent } from '../../events/notify-event';
import type { RenderOptions } from '../../links/dashboard-links';
import { cut } from '../../words/text-limits';

/** PagerDuty Events API v2's published limits. */
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, eventBytes: 512 * 1024 } as const;

/** `payload.severity` of the Events API v2. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/**
 * Incident severity to PagerDuty's: `critical` -> `critical` (outage, masked outage: the service is
 * down for users), `major` -> `error` (regional outage), `minor` -> `warning` (degraded); a blind
 * region is a `warning` about the monitoring itself, everything else `info`.
 */
export const PAGERDUTY_SEVERITY: Record<NotifySeverity, PagerDutySeverity> = {
  critical: 'critical',
  major: 'error',
  minor: 'warning',
  warning: 'warning',
  info: 'info',
};

/** An Events API v2 event (`POST https://events.pagerduty.com/v2/enqueue`). */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  /** The incident id: a resolve with it closes the alert its trigger opened. */
  dedup_key: string;
  /** Absent on a resolve, which needs only the key. */
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  links?: Array<{ href: string; text: string }>;
}

/** What a PagerDuty channel is configured with. */
export interface PagerDutyOptions extends RenderOptions {
  /** The integration's 32-character routing key. */
  routingKey: string;
  /** `payload.source`; defaults to the monitored URL's host. */
  source?: string;
}

/** The key of a region's blindness: `region.blind` opens an alert, `region.restored` resolves it. */
function regionKey(monitorId: string, region: string): string {
  return `blind_${monitorId}_${region}`;
}

function sourceOf(url: string | undefined): string {
  if (!url) return 'crosscheck';
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** Every region's verdict, causes and key evidence, with the words beside them. */
function details(description: IncidentDescription): Record<string, unknown> {
  return {
    monitor: description.monitor,
    classification: description.classification,
    classification_words: description.classificationWords,
    since: description.since,
    decisive_evidence: description.decisiveEvidence,
    blind_regions: description.blindRegions,
    reason: description.reason,
    regions: Object.fromEntries(
      description.regions.map(({ region, words, decisive, digest }) => [
        region,
        {
          affected: decisive,
          words,
          verdict: digest?.status ?? 'missing',
          reading: digest?.reading ?? 'missing',
          causes: (digest?.causes ?? []).map((cause) => ({ code: cause.code, severity: cause.severity, message: cause.message })),
          evidence: digest?.evidence ?? null,
        },
      ]),
    ),
  };
}

/**
 * The PagerDuty event of a notification: `trigger` for an incident opened, updated or reminded (and a
 * region gone blind), `resolve` for an incident resolved (and a region restored), `null` for events
 * PagerDuty has no use for (maintenance windows: they page nobody). `dedup_key` is the incident id,
 * so every trigger of one incident lands on one alert and its resolve closes it.
 */
export function pagerDutyEvent(event: NotifyEvent, options: PagerDutyOptions): PagerDutyEvent | null {
  let key: string;
  switch (event.type) {
    case 'maintenance.started':
    case 'maintenance.ended':
      return null;
    case 'region.blind':
    case 'region.restored':
      key = regionKey(event.data.monitor.id, event.data.region);
      break;
    default:
      key = event.data.incident.id;
  }
  const description = describeIncident(event, options);
  const dedupKey = cut(key, PAGERDUTY_LIMITS.dedupKey);
  const links = [
    ...(description.links.incident ? [{ href: description.links.incident, text: 'Incident in Crosscheck' }] : []),
    ...(description.links.monitor ? [{ href: description.links.monitor, text: 'Monitor in Crosscheck' }] : []),
  ];
  const common = { routing_key: options.routingKey, dedup_key: dedupKey };
  if (event.type === 'incident.resolved' || event.type === 'region.restored') return { ...common, event_action: 'resolve' };
  const monitor = description.monitor;
  const affected = description.regions.filter((r) => r.decisive).map((r) => r.region);
  return {
    ...common,
    event_action: 'trigger',
    payload: {
      summary: cut(description.summary, PAGERDUTY_LIMITS.summary),
      source: options.source ?? sourceOf(monitor?.url),
      severity: PAGERDUTY_SEVERITY[description.severity],
      timestamp: event.timestamp,
      component: monitor?.name ?? 'crosscheck',
      group: [...affected].sort().join(','),
      class: description.classification ?? event.type,
      custom_details: details(description),
    },
    client: 'Crosscheck',
    ...(options.dashboardUrl ? { client_url: options.dashboardUrl } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
}

/**
 * Whether a PagerDuty event must be sent, given the summary last sent for its `dedup_key` (`null`:
 * none yet). A resolve always goes; a trigger goes the first time and again only when its summary
 * changed: PagerDuty appends every trigger to the alert's log, and a re-trigger that says nothing new
 * is noise on the on-call person's phone.
 */
export function pagerDutyMustSend(lastSummary: string | null, next: PagerDutyEvent): boolean {
  if (next.event_action === 'resolve') return true;
  return lastSummary === null || lastSummary !== next.payload?.summary;
}
