import { useEffect, useRef, useState } from 'preact/hooks';
import type { Classification, FleetMonitorView, FleetRegionView } from '../api/api-types';
import { ClassificationBadge, StatusBadge } from '../components/badges';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links, type MonitorFilters } from '../routing/routes';
import { navigate } from '../routing/use-route';
import { causeWords } from '../words/cause-words';
import { CLASSIFICATION_ORDER, CLASSIFICATION_WORDS, classificationWords } from '../words/classification-words';
import { formatSeconds } from '../words/format';
import { bypassWords, regionSentence } from '../words/region-facts';
import { countByClassification, loadFleet, matchesFilters, regionsOf, worstFirst } from './fleet';

const POLL_SECONDS = 5;

/**
 * The grid: every monitor by every region, each cell the region's verdict with its main cause and
 * (for a cached answer) what the cache-bypassing request saw; the monitor's classification and its
 * reason in words. Read every few seconds; filtered by name, classification and region.
 */
export function MonitorsPage({ filters }: { filters: MonitorFilters }) {
  const fleet = usePoll(loadFleet, POLL_SECONDS * 1_000, []);
  const monitors = fleet.data?.monitors ?? [];
  const regions = regionsOf(monitors);
  const columns = filters.region !== '' ? regions.filter((region) => region === filters.region) : regions;
  const shown = monitors.filter((monitor) => matchesFilters(monitor, filters)).sort(worstFirst);
  const counts = countByClassification(monitors);
  const announcement = useChangeAnnouncement(monitors);

  const setFilter = (name: keyof MonitorFilters, value: string): void => navigate(links.monitors({ ...filters, [name]: value }), true);

  return (
    <>
      <div class="page-head">
        <PageTitle title="Monitors" />
        <a class="button primary" href={links.newMonitor()}>
          New monitor
        </a>
      </div>
      <LiveStamp updatedAt={fleet.updatedAt} error={fleet.error} everySeconds={POLL_SECONDS} />
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      {monitors.length > 0 && (
        <ul class="summary" aria-label="Monitors by classification">
          {[...CLASSIFICATION_ORDER, 'none' as const].map((classification) => {
            const count = counts.get(classification) ?? 0;
            if (count === 0) return null;
            const words = classification === 'none' ? classificationWords(null) : CLASSIFICATION_WORDS[classification];
            return (
              <li key={classification}>
                <a href={links.monitors({ ...filters, classification: filters.classification === classification ? '' : classification })} class={`chip tone-${words.tone}`}>
                  <span aria-hidden="true">{words.icon} </span>
                  {count} {words.label.toLowerCase()}
                </a>
              </li>
            );
          })}
        </ul>
      )}

      <form class="filters" role="search" aria-label="Filter monitors" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="filter-q">Name, URL or key</label>
          <input id="filter-q" type="search" value={filters.q} onInput={(event) => setFilter('q', event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="filter-classification">Classification</label>
          <select id="filter-classification" value={filters.classification} onChange={(event) => setFilter('classification', event.currentTarget.value)}>
            <option value="">Any</option>
            {CLASSIFICATION_ORDER.map((classification) => (
              <option key={classification} value={classification}>
                {CLASSIFICATION_WORDS[classification].label}
              </option>
            ))}
            <option value="none">Not checked yet</option>
          </select>
        </div>
        <div class="field">
          <label for="filter-region">Region</label>
          <select id="filter-region" value={filters.region} onChange={(event) => setFilter('region', event.currentTarget.value)}>
            <option value="">All</option>
            {regions.map((region) => (
              <option key={region} value={region}>
                {region}
              </option>
            ))}
          </select>
        </div>
        {(filters.q !== '' || filters.classification !== '' || filters.region !== '') && (
          <a class="button" href={links.monitors()}>
            Clear filters
          </a>
        )}
      </form>

      {fleet.error !== undefined && fleet.data === undefined && <ErrorNotice error={fleet.error} />}
      {fleet.loading && fleet.data === undefined && <p aria-busy="true">Loading monitors…</p>}
      {fleet.data !== undefined && monitors.length === 0 && (
        <EmptyNote>
          No monitors yet. <a href={links.newMonitor()}>Create one</a>, or apply a configuration file with the CLI.
        </EmptyNote>
      )}
      {fleet.data?.truncated && <p class="notice">Showing the first {monitors.length} monitors.</p>}
      {monitors.length > 0 && shown.length === 0 && <EmptyNote>No monitor matches these filters.</EmptyNote>}

      {shown.length > 0 && (
        <div class="table-wrap">
          <table class="grid">
            <caption class="visually-hidden">
              {shown.length} of {monitors.length} monitors by region: each region's verdict with its main cause
            </caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">Classification</th>
                {columns.map((region) => (
                  <th scope="col" key={region}>
                    {region}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((monitor) => (
                <MonitorRow key={monitor.monitorId} monitor={monitor} columns={columns} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function MonitorRow({ monitor, columns }: { monitor: FleetMonitorView; columns: readonly string[] }) {
  const classification = monitor.classification?.classification;
  return (
    <tr class={`monitor-row classification-${classification ?? 'none'}`} data-monitor-id={monitor.monitorId}>
      <th scope="row" class="monitor-cell">
        <a href={links.monitor(monitor.monitorId)}>{monitor.name}</a>
        <span class="url">{monitor.url}</span>
      </th>
      <td class="classification-cell" data-label="Classification">
        <ClassificationBadge classification={classification} />
        <p class="meaning">{classificationWords(classification).meaning}</p>
        {monitor.classification && <p class="reason small">{monitor.classification.reason}</p>}
        {monitor.incident && (
          <a class="small" href={links.incident(monitor.incident.id)}>
            Incident open · {monitor.incident.severity}
            {monitor.incident.acknowledgedAt ? ' · acknowledged' : ''}
          </a>
        )}
      </td>
      {columns.map((region) => (
        <RegionCell key={region} region={region} cell={monitor.regions[region]} classification={classification} />
      ))}
    </tr>
  );
}

function RegionCell({ region, cell, classification }: { region: string; cell: FleetRegionView | undefined; classification: Classification | undefined }) {
  if (cell === undefined) {
    return (
      <td class="region-cell not-checked" data-label={region}>
        <span class="muted">not checked from here</span>
      </td>
    );
  }
  const behindCache = cell.reading === 'down_behind_cache';
  const bypass = bypassWords(cell);
  return (
    <td class={`region-cell status-${cell.status} reading-${cell.reading}${cell.affected ? ' affected' : ''}`} data-label={region} data-region={region} title={regionSentence(region, cell)}>
      <StatusBadge status={cell.status} />
      {behindCache ? (
        <p class="cell-line">
          <span class="masked-200">
            <span aria-hidden="true">◈ </span>cached {cell.httpStatus ?? 200}
            {cell.ageSeconds !== null ? ` · ${formatSeconds(cell.ageSeconds)} old` : ''}
          </span>
          <span class="bypass-failed">
            <span aria-hidden="true">✕ </span>bypass: {bypass ?? 'failed'}
          </span>
        </p>
      ) : (
        cell.mainCause && <p class="cell-line">{causeWords(cell.mainCause.code)}</p>
      )}
      {cell.status === 'missing' && <p class="cell-line muted">{cell.note ?? 'no answer'}</p>}
      {cell.affected && classification !== 'operational' && <span class="visually-hidden">, affected by the classification</span>}
    </td>
  );
}

/** A sentence for screen readers when a monitor's classification changes between two reads. */
function useChangeAnnouncement(monitors: readonly FleetMonitorView[]): string {
  const previous = useRef<Map<string, string> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    const current = new Map(monitors.map((monitor) => [monitor.monitorId, monitor.classification?.classification ?? 'none']));
    if (previous.current !== null && monitors.length > 0) {
      const changes = monitors
        .filter((monitor) => previous.current?.has(monitor.monitorId) && previous.current.get(monitor.monitorId) !== current.get(monitor.monitorId))
        .map((monitor) => `${monitor.name}: now ${classificationWords(monitor.classification?.classification).label.toLowerCase()}`);
      if (changes.length > 0) setAnnouncement(changes.join('. '));
    }
    if (monitors.length > 0) previous.current = current;
  }, [monitors]);
  return announcement;
}
