/**
 * What the system says happened, read through the REST API and a webhook receiver, and the
 * checks every suite that breaks things makes of it: rounds resumed, no round stored twice, every
 * emitted event delivered once under its webhook-id, none sent twice under two ids.
 */
import { expect } from 'vitest';
import type { ApiClient } from './system';
import type { ReceivedEvent } from './webhook-receiver';

export interface ResultItem {
  roundId: string;
  region: string;
  status: string;
  late: boolean;
  scheduledAt: string;
  agentId?: string | null;
}

export interface IncidentSummary {
  id: string;
  monitorId: string;
  state: string;
  classification: string;
  affectedRegions: string[];
}

export interface TimelineEntry {
  eventId: string;
  type: string;
  roundId: string;
}

export interface DeliveryAttemptView {
  eventId: string;
  type: string;
  outcome: string;
}

/** A monitor's whole result history, every page. */
export async function history(api: ApiClient, monitorId: string): Promise<ResultItem[]> {
  const items: ResultItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page = await api.get<{ items: ResultItem[]; nextCursor: string | null }>(`/v1/monitors/${monitorId}/results?limit=1000${query}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return items;
}

export async function incidentsOf(api: ApiClient, monitorId: string): Promise<IncidentSummary[]> {
  const page = await api.get<{ items: IncidentSummary[] }>(`/v1/incidents?monitorId=${monitorId}&limit=200`);
  expect(page.status).toBe(200);
  return page.body.items;
}

export async function timeline(api: ApiClient, incidentId: string): Promise<TimelineEntry[]> {
  const detail = await api.get<{ timeline: TimelineEntry[] }>(`/v1/incidents/${incidentId}`);
  expect(detail.status).toBe(200);
  return detail.body.timeline;
}

/** Rounds of a history scheduled after `after` in which every region of `regions` answered (not missing). */
export function completeRoundsAfter(items: readonly ResultItem[], after: number, regions: readonly string[]): number {
  const byRound = new Map<string, Set<string>>();
  for (const item of items) {
    if (Date.parse(item.scheduledAt) <= after || item.status === 'missing') continue;
    byRound.set(item.roundId, (byRound.get(item.roundId) ?? new Set()).add(item.region));
  }
  return [...byRound.values()].filter((answered) => regions.every((region) => answered.has(region))).length;
}

export function monitorOf(event: ReceivedEvent): string | undefined {
  return (event.data['monitor'] as { id?: string } | undefined)?.id;
}

export function incidentOf(event: ReceivedEvent): string | undefined {
  return (event.data['incident'] as { id?: string } | undefined)?.id;
}

export function countByType(events: readonly ReceivedEvent[]): string {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  return [...counts.entries()].map(([type, count]) => `${type} ${count}`).join(', ');
}

function byTime(events: readonly ReceivedEvent[]): ReceivedEvent[] {
  return [...events].sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp) || x.webhookId.localeCompare(y.webhookId));
}

/** Events that repeat another under a different webhook-id: an incident's opening or resolution twice, a region blind twice in a row. */
export function doubledEvents(events: readonly ReceivedEvent[]): number {
  const seen = new Map<string, number>();
  let doubled = 0;
  const lastRegionEvent = new Map<string, string>();
  for (const event of byTime(events)) {
    if (event.type === 'incident.opened' || event.type === 'incident.resolved') {
      const key = `${incidentOf(event) ?? ''}/${event.type}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if ((seen.get(key) ?? 0) > 1) doubled += 1;
    } else if (event.type === 'region.blind' || event.type === 'region.restored') {
      const key = `${monitorOf(event) ?? ''}/${String(event.data['region'])}`;
      if (lastRegionEvent.get(key) === event.type) doubled += 1;
      lastRegionEvent.set(key, event.type);
    }
  }
  return doubled;
}

/** One on-time result per (round, region); a late one at most once, and only after a missing one. */
export function expectNoRoundStoredTwice(name: string, items: readonly ResultItem[]): void {
  const onTime = items.filter((item) => !item.late).map((item) => `${item.roundId}/${item.region}`);
  expect(onTime.length, `${name}: (roundId, region) unique`).toBe(new Set(onTime).size);
  const lateKeys = items.filter((item) => item.late).map((item) => `${item.roundId}/${item.region}`);
  expect(lateKeys.length, `${name}: at most one late result per (roundId, region)`).toBe(new Set(lateKeys).size);
  const missing = new Set(items.filter((item) => !item.late && item.status === 'missing').map((item) => `${item.roundId}/${item.region}`));
  for (const key of lateKeys) expect(missing.has(key) || !onTime.includes(key), `${name}: late ${key} follows a missing one`).toBe(true);
}

/** Region events alternate blind, restored per monitor and region (a second blind would be one event sent twice), ending restored. */
export function expectRegionEventsAlternate(events: readonly ReceivedEvent[]): void {
  const sequences = new Map<string, string[]>();
  for (const event of byTime(events.filter((e) => e.type === 'region.blind' || e.type === 'region.restored'))) {
    const key = `${monitorOf(event)}/${String(event.data['region'])}`;
    sequences.set(key, [...(sequences.get(key) ?? []), event.type]);
  }
  for (const [key, sequence] of sequences) {
    sequence.forEach((type, i) => expect(type, `${key}: ${sequence.join(', ')}`).toBe(i % 2 === 0 ? 'region.blind' : 'region.restored'));
    expect(sequence[sequence.length - 1], `${key} ends restored: ${sequence.join(', ')}`).toBe('region.restored');
  }
}

/**
 * Every incident (of every monitor that may have one): resolved, and each of its timeline's events received once under
 * its webhook-id, one `incident.opened` and one `incident.resolved`; no incident event the API
 * does not know; every delivery resent the same bytes; no signature rejected.
 */
export function expectIncidentsDeliveredOnce(
  incidents: readonly IncidentSummary[],
  timelines: ReadonlyMap<string, readonly TimelineEntry[]>,
  events: readonly ReceivedEvent[],
  rejected: readonly unknown[],
): void {
  const known = new Set(incidents.map((incident) => incident.id));
  const strays = events.filter((event) => event.type.startsWith('incident.') && !known.has(incidentOf(event) ?? ''));
  expect(strays.map((event) => event.webhookId)).toEqual([]);
  for (const incident of incidents) {
    expect(incident.state, incident.id).toBe('resolved');
    const entries = timelines.get(incident.id) ?? [];
    const received = events.filter((event) => event.type.startsWith('incident.') && incidentOf(event) === incident.id);
    expect(received.map((event) => event.webhookId).sort(), incident.id).toEqual(entries.map((entry) => entry.eventId).sort());
    for (const type of ['incident.opened', 'incident.resolved']) expect(received.filter((event) => event.type === type), `${incident.id} ${type}`).toHaveLength(1);
  }
  expect(rejected).toEqual([]);
  for (const event of events) expect(new Set(event.bodies).size, `retries of ${event.webhookId} resend the same bytes`).toBe(1);
}
