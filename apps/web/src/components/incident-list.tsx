import { useState } from 'preact/hooks';
import { get } from '../api/api-client';
import type { IncidentDetailView, IncidentView } from '../api/api-types';
import { links } from '../routing/routes';
import { formatSeconds, formatTime, listWords } from '../words/format';
import { ClassificationBadge, SeverityBadge } from './badges';
import { ErrorNotice } from './error-notice';
import { IncidentTimeline } from './incident-timeline';
import { MaintenanceMark } from './maintenance-mark';

/** How long an incident lasted (or has lasted so far). */
export function incidentDuration(incident: Pick<IncidentView, 'startedAt' | 'resolvedAt'>, now: number): string {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return formatSeconds((end - Date.parse(incident.startedAt)) / 1_000);
}

/**
 * A monitor's incidents, newest first, each opening to its timeline (read when opened).
 */
export function IncidentList({ incidents, now }: { incidents: readonly IncidentView[]; now: number }) {
  return (
    <ul class="incident-list">
      {incidents.map((incident) => (
        <li key={incident.id}>
          <IncidentDetails incident={incident} now={now} />
        </li>
      ))}
    </ul>
  );
}

function IncidentDetails({ incident, now }: { incident: IncidentView; now: number }) {
  const [detail, setDetail] = useState<IncidentDetailView | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const load = (open: boolean): void => {
    if (!open || detail !== null) return;
    get<IncidentDetailView>(`v1/incidents/${encodeURIComponent(incident.id)}`).then(setDetail, setError);
  };
  return (
    <details onToggle={(event) => load(event.currentTarget.open)}>
      <summary>
        <ClassificationBadge classification={incident.classification} /> <SeverityBadge severity={incident.severity} />{' '}
        <span>
          {incident.state === 'open' ? 'open' : 'resolved'} · started {formatTime(incident.startedAt)} · {incidentDuration(incident, now)}
          {incident.affectedRegions.length > 0 ? ` · ${listWords(incident.affectedRegions)}` : ''}
        </span>
        {incident.state === 'open' && <MaintenanceMark maintenance={incident.maintenance} />}
      </summary>
      <p>
        <a href={links.incident(incident.id)}>Open the incident</a>
      </p>
      {error !== undefined && <ErrorNotice error={error} />}
      {detail === null && error === undefined && <p aria-busy="true">Loading the timeline…</p>}
      {detail && <IncidentTimeline timeline={detail.timeline} headingLevel={4} />}
    </details>
  );
}
