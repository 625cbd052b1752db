import type { IncidentClassification } from '@crosscheck/checks';
import type { IncidentEventData } from '@crosscheck/contract';
import { maintenanceMonitors, type MaintenanceEvent } from '../events/maintenance-event';
import type { IncidentNotification, NotifyEvent, RegionNotification } from '../events/notify-event';
import type { IncidentReminderEvent } from '../events/reminder-event';
import { dashboardLinks, type RenderOptions } from '../links/dashboard-links';
import { classificationName, classificationWords, withArticle } from '../words/classification-words';
import { regionWords } from '../words/evidence-words';
import { listWords } from '../words/region-list';
import { capitalize, oneLine } from '../words/text-limits';
import { instantWords, secondsBetween, spanWords } from '../words/time-words';
import type { IncidentDescription, RegionWords } from './incident-description';

/** What the coordinator writes as the reason of a resolve caused by deleting the monitor. */
const MONITOR_DELETED = 'monitor_deleted';

/**
 * Turns an event into words: the one renderer every channel's payload is built from. Pure and
 * deterministic: every time comes from the event (no clock is read), regions are read in name order,
 * and the same event always gives the same words.
 */
export function describeIncident(event: NotifyEvent, options: RenderOptions = {}): IncidentDescription {
  switch (event.type) {
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved':
    case 'incident.reminder':
      return describeIncidentEvent(event, options);
    case 'region.blind':
    case 'region.restored':
      return describeRegionEvent(event, options);
    case 'maintenance.started':
    case 'maintenance.ended':
      return describeMaintenance(event, options);
  }
}

/** Every region of the round in words, the decisive ones first. */
function regionsInWords(data: Pick<IncidentEventData, 'regions'>, decisive: ReadonlySet<string>): RegionWords[] {
  const names = [...new Set([...Object.keys(data.regions), ...decisive])].sort();
  return names
    .map((region) => {
      const digest = data.regions[region] ?? null;
      return { region: oneLine(region), words: oneLine(digest ? regionWords(digest) : 'no report in this round'), decisive: decisive.has(region), digest };
    })
    .sort((a, b) => Number(b.decisive) - Number(a.decisive) || (a.decisive ? readingRank(a) - readingRank(b) : 0));
}

/** The story's order, as reconcile tells it: what hides the outage first, then the origin's failure, then the rest. */
const READING_ORDER = ['down_behind_cache', 'cached_unverified', 'down_direct', 'fresh', 'refused', 'missing'];

function readingRank(region: RegionWords): number {
  const at = READING_ORDER.indexOf(region.digest?.reading ?? 'missing');
  return at === -1 ? READING_ORDER.length : at;
}

/**
 * `eu-west and us-east: Varnish served …`: the decisive regions grouped by identical words, the
 * masking first (a cached answer hiding a failure is what a person must know first), then the
 * failures, each group in the name order of its first region.
 */
function groupedEvidence(regions: readonly RegionWords[]): string[] {
  const groups = new Map<string, { names: string[]; rank: number }>();
  for (const region of regions) {
    if (!region.decisive) continue;
    const group = groups.get(region.words) ?? { names: [], rank: readingRank(region) };
    group.names.push(region.region);
    group.rank = Math.min(group.rank, readingRank(region));
    groups.set(region.words, group);
  }
  return [...groups.entries()].sort(([, a], [, b]) => a.rank - b.rank).map(([words, { names }]) => `${listWords(names)}: ${words}`);
}

function blindSentence(blind: readonly string[]): string {
  return blind.length > 0 ? ` No usable answer from ${listWords(blind)}.` : '';
}

function describeIncidentEvent(event: IncidentNotification | IncidentReminderEvent, options: RenderOptions): IncidentDescription {
  const { data } = event;
  const { incident, monitor } = data;
  const name = oneLine(monitor.name);
  const resolved = event.type === 'incident.resolved';
  const classification: IncidentClassification = resolved ? incident.classification : (data.classification.after ?? incident.classification);
  const affected = [...data.affectedRegions].sort();
  const regions = regionsInWords(data, new Set(affected));
  const evidence = resolved ? [] : groupedEvidence(regions);
  const since = incident.startedAt;
  const sinceWords = instantWords(since);
  const endedAt = resolved ? (incident.resolvedAt ?? event.timestamp) : event.timestamp;
  const lasted = secondsBetween(since, endedAt);
  const duration = resolved || event.type === 'incident.reminder' ? (lasted === null ? null : spanWords(lasted)) : null;
  const where = affected.length > 0 ? ` in ${listWords(affected)}` : '';
  const meaning = classificationWords(classification).split(': ')[1]!;
  const evidenceSentence = evidence.length > 0 ? ` ${evidence.join('; ')}.` : '';
  const blind = blindSentence(data.blindRegions);

  let title: string;
  let summary: string;
  switch (event.type) {
    case 'incident.opened':
      title = `${capitalize(classificationName(classification))}: ${name}`;
      summary = `${name}: ${classificationName(classification)} (${meaning})${where} since ${sinceWords}.${evidenceSentence}${blind}`;
      break;
    case 'incident.updated': {
      const before = data.classification.before;
      const changed = before !== null && before !== classification;
      title = `${capitalize(classificationName(classification))}: ${name} (${changed ? `was ${classificationName(before)}` : `now${where}`})`;
      summary = `${name}: now ${withArticle(classification)} (${meaning})${where}${changed ? `, was ${withArticle(before)}` : ''}; trouble since ${sinceWords}.${evidenceSentence}${blind}`;
      break;
    }
    case 'incident.resolved': {
      const after = duration ? ` after ${duration}` : '';
      title = `Resolved: ${name} (${classificationName(classification)}${duration ? `, ${duration}` : ''})`;
      summary = data.reason.startsWith(MONITOR_DELETED)
        ? `${name}: ${withArticle(classification)} closed${after} because the monitor was deleted. It began at ${sinceWords}.`
        : `${name}: ${withArticle(classification)} resolved${after}; healthy again${where}. It began at ${sinceWords} and ended at ${instantWords(endedAt)}.`;
      break;
    }
    case 'incident.reminder': {
      const { sequence, escalation } = event.data.reminder;
      const open = duration ? ` for ${duration}` : '';
      title = `${escalation ? 'Escalated' : 'Still open'}: ${classificationName(classification)} of ${name}${open ? ` (${duration})` : ''}`;
      summary = `${name}: ${withArticle(classification)} (${meaning})${where} open${open} since ${sinceWords} and not acknowledged (reminder ${sequence}${escalation ? ', escalated' : ''}).${evidenceSentence}${blind}`;
      break;
    }
  }

  return {
    type: event.type,
    title,
    summary,
    severity: incident.severity,
    classification,
    classificationWords: classificationWords(classification),
    since,
    sinceWords,
    duration,
    regions,
    decisiveEvidence: evidence,
    blindRegions: [...data.blindRegions],
    reason: data.reason,
    monitor: { id: monitor.id, name, url: monitor.url },
    monitors: [],
    incidentId: incident.id,
    links: dashboardLinks(options, { incidentId: incident.id, monitorId: monitor.id }),
  };
}

function describeRegionEvent(event: RegionNotification, options: RenderOptions): IncidentDescription {
  const { data } = event;
  const name = oneLine(data.monitor.name);
  const region = oneLine(data.region);
  const regions = regionsInWords(data, new Set([data.region]));
  const decisive = regions.find((r) => r.decisive);
  const words = decisive?.words ?? 'no report in this round';
  const note = decisive?.digest?.note ? oneLine(decisive.digest.note) : null;
  const incident = data.incident;
  const open = incident ? ` ${capitalize(withArticle(incident.classification))} is open since ${instantWords(incident.startedAt)}.` : '';
  const blind = event.type === 'region.blind';
  return {
    type: event.type,
    title: blind ? `Region blind: ${region} for ${name}` : `Region restored: ${region} for ${name}`,
    summary: blind
      ? `${name}: no usable answer from ${region}${note ? ` (${note})` : ''}, so Crosscheck cannot see the service from there; a blind region never counts as down.${open}`
      : `${name}: ${region} answers again: ${words}.${open}`,
    severity: blind ? 'warning' : 'info',
    classification: incident?.classification ?? null,
    classificationWords: incident ? classificationWords(incident.classification) : '',
    since: incident?.startedAt ?? null,
    sinceWords: incident ? instantWords(incident.startedAt) : '',
    duration: null,
    regions,
    decisiveEvidence: [`${region}: ${words}`],
    blindRegions: [...data.blindRegions],
    reason: data.reason,
    monitor: { id: data.monitor.id, name, url: data.monitor.url },
    monitors: [],
    incidentId: incident?.id ?? null,
    links: dashboardLinks(options, { incidentId: incident?.id ?? null, monitorId: data.monitor.id }),
  };
}

function describeMaintenance(event: MaintenanceEvent, options: RenderOptions): IncidentDescription {
  const { maintenance, occurrence } = event.data;
  const monitors = maintenanceMonitors(event);
  const names = monitors.map((m) => oneLine(m.name));
  const covered = names.length > 0 ? listWords(names) : 'no monitor';
  const reason = oneLine(maintenance.reason);
  const until = `until ${instantWords(occurrence.endsAt)}`;
  const started = event.type === 'maintenance.started';
  const single = monitors.length === 1 ? monitors[0]! : null;
  return {
    type: event.type,
    title: `${started ? 'Maintenance started' : 'Maintenance ended'}: ${covered}`,
    summary: started
      ? `Maintenance of ${covered}${reason ? ` (${reason})` : ''} from ${instantWords(occurrence.startsAt)} ${until}: rounds still run and are recorded, but nothing pages and no incident opens.`
      : `Maintenance of ${covered}${reason ? ` (${reason})` : ''} ended at ${instantWords(event.timestamp)}: paging resumes, and trouble that held through the window opens its incident now.`,
    severity: 'info',
    classification: null,
    classificationWords: '',
    since: null,
    sinceWords: '',
    duration: null,
    regions: [],
    decisiveEvidence: [],
    blindRegions: [],
    reason,
    monitor: single ? { id: single.id, name: oneLine(single.name), url: single.url } : null,
    monitors: monitors.map((m) => ({ id: m.id, name: oneLine(m.name), url: m.url })),
    incidentId: null,
    links: dashboardLinks(options, { monitorId: single?.id ?? null }),
  };
}
