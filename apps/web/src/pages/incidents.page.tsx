import { useState } from 'preact/hooks';
import { get, query } from '../api/api-client';
import type { IncidentPageView, IncidentView } from '../api/api-types';
import { ClassificationBadge, SeverityBadge } from '../components/badges';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { incidentDuration } from '../components/incident-list';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { useNow } from '../live/use-now';
import { links } from '../routing/routes';
import { formatTime, listWords } from '../words/format';

const POLL_SECONDS = 10;
const STATES = [
  ['open', 'Open'],
  ['resolved', 'Resolved'],
  ['all', 'All'],
] as const;

/** Incidents, newest first, open ones by default; older pages on demand. */
export function IncidentsPage({ state }: { state: 'open' | 'resolved' | 'all' }) {
  const now = useNow(10_000);
  const [older, setOlder] = useState<{ items: IncidentView[]; cursor: string | null } | null>(null);
  const first = usePoll(
    (signal) => get<IncidentPageView>(`v1/incidents${query({ state: state === 'all' ? undefined : state, limit: 50 })}`, signal),
    POLL_SECONDS * 1_000,
    [state],
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const items = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  const cursor = older ? older.cursor : (first.data?.nextCursor ?? null);

  const loadMore = async (): Promise<void> => {
    if (cursor === null) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await get<IncidentPageView>(`v1/incidents${query({ state: state === 'all' ? undefined : state, limit: 50, cursor })}`);
      setOlder((previous) => ({ items: [...(previous?.items ?? []), ...page.items], cursor: page.nextCursor }));
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageTitle title="Incidents" />
      <nav aria-label="Incident state" class="tabs">
        <ul>
          {STATES.map(([value, label]) => (
            <li key={value}>
              <a href={links.incidents(value)} aria-current={value === state ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <LiveStamp updatedAt={first.updatedAt} error={first.error} everySeconds={POLL_SECONDS} />
      {first.error !== undefined && first.data === undefined && <ErrorNotice error={first.error} />}
      {first.data && items.length === 0 && <EmptyNote>{state === 'open' ? 'No incident is open.' : 'No incident.'}</EmptyNote>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="list">
            <caption class="visually-hidden">Incidents, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">What</th>
                <th scope="col">Regions</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {items.map((incident) => (
                <tr key={incident.id}>
                  <th scope="row" data-label="Monitor">
                    <a href={links.incident(incident.id)}>{incident.monitor.name}</a>
                  </th>
                  <td data-label="What">
                    <ClassificationBadge classification={incident.classification} /> <SeverityBadge severity={incident.severity} />
                  </td>
                  <td data-label="Regions">{incident.affectedRegions.length > 0 ? listWords(incident.affectedRegions) : '—'}</td>
                  <td data-label="Started">{formatTime(incident.startedAt)}</td>
                  <td data-label="Duration">{incidentDuration(incident, now)}</td>
                  <td data-label="State">
                    {incident.state === 'open' ? 'open' : `resolved ${formatTime(incident.resolvedAt)}`}
                    {incident.acknowledgedAt ? ` · acknowledged${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {moreError !== undefined && <ErrorNotice error={moreError} />}
      {cursor !== null && (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Older incidents'}
        </button>
      )}
    </>
  );
}
