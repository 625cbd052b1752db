import { useState } from 'preact/hooks';
import { get, query } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { FleetMonitorView, FleetStatusView, IncidentPageView, MaintenancePageView, MaintenanceView, MonitorStatusView, MonitorView, ResultEntryView, SeriesReport, UptimeReport } from '../api/api-types';
import { ClassificationBadge } from '../components/badges';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { IncidentList } from '../components/incident-list';
import { LabelChips } from '../components/label-chips';
import { LatencyChart } from '../components/latency-chart';
import { LiveStamp } from '../components/live-stamp';
import { MaintenanceMark } from '../components/maintenance-mark';
import { MaintenanceBanner, MaintenanceSection } from '../components/maintenance-section';
import { PageTitle } from '../components/page-title';
import { RegionCard } from '../components/region-card';
import { RegionsTable } from '../components/regions-table';
import { UptimeBars } from '../components/uptime-bars';
import { usePoll } from '../live/use-poll';
import { useNow } from '../live/use-now';
import { links } from '../routing/routes';
import { classificationWords } from '../words/classification-words';
import { formatTime, listWords } from '../words/format';
import { maskedOutageSummary } from '../words/region-facts';
import { hasRounds, LATENCY_WINDOWS, latencyOfResults, latencyOfSeries, latestFullResults, type LatencyWindowId } from './history';
import { maintenanceOf } from './maintenance';

const POLL_SECONDS = 5;
/** Most pages of maintenance windows read (200 each; a coordinator keeps at most 500). */
const MAINTENANCE_PAGES = 3;

/** Every maintenance window, following the cursor: which cover a monitor is decided here, by its id or labels. */
async function allMaintenance(signal: AbortSignal): Promise<MaintenanceView[]> {
  const windows: MaintenanceView[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAINTENANCE_PAGES; page++) {
    const answer: MaintenancePageView = await get<MaintenancePageView>(`v1/maintenance${query({ limit: 200, cursor })}`, signal);
    windows.push(...answer.items);
    cursor = answer.nextCursor;
    if (cursor === null) break;
  }
  return windows;
}

/**
 * One monitor: its classification with the reason, every region side by side (the picture of a
 * masked outage: who gets a cached 200 and what the bypass saw), each region's causes and
 * evidence, latency per region, 90 days of uptime, and its incidents with their timelines.
 */
export function MonitorPage({ id }: { id: string }) {
  const base = `v1/monitors/${encodeURIComponent(id)}`;
  const live = usePoll(
    async (signal) => {
      const [fleet, status] = await Promise.all([get<FleetStatusView>(`v1/status${query({ monitorId: id })}`, signal), get<MonitorStatusView>(`${base}/status`, signal)]);
      return { monitor: fleet.items[0] ?? null, status };
    },
    POLL_SECONDS * 1_000,
    [id],
  );
  const results = usePoll((signal) => get<{ items: ResultEntryView[] }>(`${base}/results?limit=90`, signal), 10_000, [id]);
  const settings = usePoll((signal) => get<MonitorView>(base, signal), 0, [id]);
  const windows = usePoll(allMaintenance, 30_000, [id]);
  const now = useNow(5_000);

  if (live.error instanceof ApiError && live.error.status === 404) {
    return (
      <>
        <PageTitle title="Monitor not found" />
        <ErrorNotice error={live.error}>
          <p>
            It may have been deleted. <a href={links.monitors()}>All monitors</a>
          </p>
        </ErrorNotice>
      </>
    );
  }
  const monitor = live.data?.monitor ?? null;
  const status = live.data?.status;
  const title = monitor?.name ?? settings.data?.name ?? id;
  const latest = latestFullResults(results.data?.items ?? []);
  const maintenance = maintenanceOf(windows.data ?? [], { id, labels: settings.data?.labels }, now);

  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href={links.monitors()}>Monitors</a> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <div class="page-head">
        <PageTitle title={title} />
        <a class="button" href={links.editMonitor(id)}>
          Edit monitor
        </a>
      </div>
      {monitor && (
        <p class="url">
          <code>{monitor.url}</code> every {monitor.intervalSeconds} s from {listWords(Object.keys(monitor.regions))}
        </p>
      )}
      {settings.data && Object.keys(settings.data.labels ?? {}).length > 0 && (
        <div class="monitor-labels">
          <span class="muted small">Labels </span>
          <LabelChips labels={settings.data.labels} />
        </div>
      )}
      <MaintenanceBanner maintenance={maintenance} />
      <LiveStamp updatedAt={live.updatedAt} error={live.error} everySeconds={POLL_SECONDS} />
      {live.error !== undefined && live.data === undefined && <ErrorNotice error={live.error} />}
      {live.loading && live.data === undefined && <p aria-busy="true">Loading…</p>}

      {monitor && <ClassificationPanel monitor={monitor} />}

      {monitor && (
        <section aria-labelledby="regions-heading">
          <h2 id="regions-heading">Regions side by side</h2>
          <RegionsTable regions={monitor.regions} caption={monitor.round ? `The latest round, scheduled ${formatTime(monitor.round.scheduledAt)}` : 'No round finalized yet'} />
        </section>
      )}

      {status && (
        <section aria-labelledby="verdicts-heading">
          <h2 id="verdicts-heading">Each region's verdict, causes and evidence</h2>
          <div class="cards">
            {Object.entries(status.regions).map(([region, report]) => (
              <RegionCard key={region} region={region} report={report} cell={monitor?.regions[region]} latest={latest[region]} />
            ))}
          </div>
        </section>
      )}

      <LatencySection id={id} regions={Object.keys(status?.regions ?? monitor?.regions ?? {})} recent={results.data?.items ?? []} />
      <UptimeSection id={id} />
      <IncidentsSection id={id} />
      <MaintenanceSection maintenance={maintenance} loaded={windows.data !== undefined} />
      {windows.error !== undefined && <ErrorNotice error={windows.error} />}
      {settings.data && <SettingsSection monitor={settings.data} />}
    </>
  );
}

function ClassificationPanel({ monitor }: { monitor: FleetMonitorView }) {
  const summary = monitor.classification;
  const words = classificationWords(summary?.classification);
  const masked = maskedOutageSummary(monitor);
  return (
    <section class={`card classification-panel tone-${words.tone}`} aria-labelledby="classification-heading">
      <h2 id="classification-heading" class="visually-hidden">
        Classification
      </h2>
      <p>
        <ClassificationBadge classification={summary?.classification} large />
      </p>
      <p class="meaning">{words.meaning[0]?.toUpperCase()}{words.meaning.slice(1)}.</p>
      {masked && (
        <p class="callout tone-masked" data-testid="masked-explanation">
          <strong>What the regions see:</strong> {masked}
        </p>
      )}
      {summary && (
        <dl class="facts">
          <div>
            <dt>Reason</dt>
            <dd class="reason">{summary.reason}</dd>
          </div>
          {summary.affectedRegions.length > 0 && (
            <div>
              <dt>Affected regions</dt>
              <dd>{listWords(summary.affectedRegions)}</dd>
            </div>
          )}
          {summary.blindRegions.length > 0 && (
            <div>
              <dt>Blind regions</dt>
              <dd>{listWords(summary.blindRegions)}</dd>
            </div>
          )}
          <div>
            <dt>Decided by</dt>
            <dd>
              <code>{summary.decidedBy.join(', ')}</code>
            </dd>
          </div>
          <div>
            <dt>Round</dt>
            <dd>{formatTime(summary.scheduledAt)}</dd>
          </div>
        </dl>
      )}
      {monitor.incident ? (
        <p>
          <a class="button" href={links.incident(monitor.incident.id)}>
            Open the incident
          </a>{' '}
          {classificationWords(monitor.incident.classification).label.toLowerCase()}, {monitor.incident.severity}, since {formatTime(monitor.incident.startedAt)}
          {monitor.incident.acknowledgedAt ? `, acknowledged${monitor.incident.acknowledgedBy ? ` by ${monitor.incident.acknowledgedBy}` : ''}` : ', not acknowledged'}
          {monitor.incident.maintenance && <MaintenanceMark maintenance={monitor.incident.maintenance} long />}
        </p>
      ) : (
        <p class="muted">No incident open.</p>
      )}
    </section>
  );
}

function LatencySection({ id, regions, recent }: { id: string; regions: readonly string[]; recent: readonly ResultEntryView[] }) {
  const [windowId, setWindowId] = useState<LatencyWindowId>('1h');
  const choice = LATENCY_WINDOWS.find((option) => option.id === windowId) ?? LATENCY_WINDOWS[0];
  const series = usePoll(
    (signal) => get<SeriesReport>(`v1/monitors/${encodeURIComponent(id)}/series${query({ window: choice.id, step: choice.step })}`, signal),
    30_000,
    [id, windowId],
  );
  // A series of the chosen window only, never the previous window's while the new one loads.
  const report = series.data?.window === choice.id ? series.data : undefined;
  // A monitor created minutes ago has rounds in the rollups at once; only one with none yet in the
  // window falls back to the result history's recent checks, and says so.
  const empty = report !== undefined && !hasRounds(report);
  const what = `${choice.stepWords} of the ${choice.label.toLowerCase()}`;
  return (
    <section aria-labelledby="latency-heading">
      <h2 id="latency-heading">Latency by region</h2>
      <div class="field inline">
        <label for="latency-window">Window</label>
        <select id="latency-window" value={windowId} onChange={(event) => setWindowId(event.currentTarget.value as LatencyWindowId)}>
          {LATENCY_WINDOWS.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <p class="muted small">The p50 and p95 of each region's total time, step by step, from the coordinator's rollups.</p>
      {series.error !== undefined && <ErrorNotice error={series.error} />}
      {report === undefined && series.error === undefined && <p aria-busy="true">Loading…</p>}
      {empty && (
        <p class="notice" role="status">
          No round of this monitor in the {choice.label.toLowerCase()} yet: showing its recent checks from the result history instead.
        </p>
      )}
      {regions.length === 0 && <EmptyNote>No region checks this monitor yet.</EmptyNote>}
      {report !== undefined && (
        <div class="charts">
          {regions.map((region) =>
            empty ? (
              <LatencyChart key={`recent-${region}`} region={region} series={latencyOfResults(recent, region)} what="recent checks" source="results" />
            ) : (
              <LatencyChart key={`series-${windowId}-${region}`} region={region} series={latencyOfSeries(report, region)} what={what} source="series" />
            ),
          )}
        </div>
      )}
    </section>
  );
}

function UptimeSection({ id }: { id: string }) {
  const base = `v1/monitors/${encodeURIComponent(id)}`;
  const history = usePoll(
    async (signal) => {
      const [uptime, series] = await Promise.all([
        get<UptimeReport>(`${base}/uptime${query({ window: '90d' })}`, signal),
        get<SeriesReport>(`${base}/series${query({ window: '90d', step: '1d' })}`, signal),
      ]);
      return { uptime, series };
    },
    30_000,
    [id],
  );
  return (
    <section aria-labelledby="uptime-heading">
      <h2 id="uptime-heading">Uptime</h2>
      <p class="muted small">A round counts as up when it is classified operational or degraded; one no region could decide is left out.</p>
      {history.error !== undefined && <ErrorNotice error={history.error} />}
      {history.data && history.data.uptime.rounds.counted === 0 && history.data.uptime.excluded.rounds === 0 && <EmptyNote>No round of this monitor in the last 90 days yet.</EmptyNote>}
      {history.data && <UptimeBars points={history.data.series.points} report={history.data.uptime} />}
    </section>
  );
}

function IncidentsSection({ id }: { id: string }) {
  const now = useNow(10_000);
  const incidents = usePoll((signal) => get<IncidentPageView>(`v1/incidents${query({ monitorId: id, limit: 10 })}`, signal), 15_000, [id]);
  return (
    <section aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">Incidents</h2>
      {incidents.error !== undefined && <ErrorNotice error={incidents.error} />}
      {incidents.data && incidents.data.items.length === 0 && <EmptyNote>No incident yet.</EmptyNote>}
      {incidents.data && incidents.data.items.length > 0 && <IncidentList incidents={incidents.data.items} now={now} />}
    </section>
  );
}

function SettingsSection({ monitor }: { monitor: MonitorView }) {
  const spec = monitor.spec;
  const expectations = [
    spec.expect.status ? `status ${spec.expect.status.join(', ')}` : `2xx`,
    ...spec.expect.body.contains.map((text) => `body contains "${text}"`),
    ...spec.expect.body.notContains.map((text) => `body does not contain "${text}"`),
    ...spec.expect.json.map((assertion) => `${assertion.path} ${assertion.op}${assertion.value !== undefined ? ` ${JSON.stringify(assertion.value)}` : ''}`),
    `degraded above ${spec.expect.latency.degradedMs} ms`,
  ];
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">How it is checked</h2>
      <dl class="facts">
        <div>
          <dt>Request</dt>
          <dd>
            <code>
              {spec.method} {spec.url}
            </code>
            , timeout {spec.timeoutMs} ms
          </dd>
        </div>
        <div>
          <dt>Healthy means</dt>
          <dd>{listWords(expectations)}</dd>
        </div>
        <div>
          <dt>Cache-bypassing request</dt>
          <dd>{spec.cacheBypass === false ? 'off' : spec.cacheBypass === true || spec.method === 'GET' || spec.method === 'HEAD' ? 'on' : 'off'}</dd>
        </div>
        <div>
          <dt>Incidents</dt>
          <dd>
            open after {monitor.incidents.openAfter} rounds, resolve after {monitor.incidents.resolveAfter}
          </dd>
        </div>
      </dl>
    </section>
  );
}
