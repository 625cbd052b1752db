import { useState } from 'preact/hooks';
import { call, get } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { IncidentDetailView } from '../api/api-types';
import { ClassificationBadge, SeverityBadge } from '../components/badges';
import { ErrorNotice } from '../components/error-notice';
import { incidentDuration } from '../components/incident-list';
import { IncidentTimeline } from '../components/incident-timeline';
import { LiveStamp } from '../components/live-stamp';
import { MaintenanceMark } from '../components/maintenance-mark';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { useNow } from '../live/use-now';
import { links } from '../routing/routes';
import { classificationWords } from '../words/classification-words';
import { formatTime, listWords } from '../words/format';

const POLL_SECONDS = 10;

/** One incident: what it is about, its timeline with every round's regions, and the acknowledge action. */
export function IncidentPage({ id }: { id: string }) {
  const now = useNow(10_000);
  const incident = usePoll((signal) => get<IncidentDetailView>(`v1/incidents/${encodeURIComponent(id)}`, signal), POLL_SECONDS * 1_000, [id]);
  const data = incident.data;
  if (incident.error instanceof ApiError && incident.error.status === 404) {
    return (
      <>
        <PageTitle title="Incident not found" />
        <ErrorNotice error={incident.error}>
          <p>
            Resolved incidents are kept for a while, then forgotten. <a href={links.incidents()}>All incidents</a>
          </p>
        </ErrorNotice>
      </>
    );
  }
  const title = data ? `${classificationWords(data.classification).label} of ${data.monitor.name}` : 'Incident';
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href={links.incidents()}>Incidents</a> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <PageTitle title={title} />
      <LiveStamp updatedAt={incident.updatedAt} error={incident.error} everySeconds={POLL_SECONDS} />
      {incident.error !== undefined && data === undefined && <ErrorNotice error={incident.error} />}
      {data && (
        <>
          <section class="card" aria-labelledby="incident-facts">
            <h2 id="incident-facts" class="visually-hidden">
              What it is
            </h2>
            <p>
              <ClassificationBadge classification={data.classification} large /> <SeverityBadge severity={data.severity} />{' '}
              <strong>{data.state === 'open' ? 'Open' : 'Resolved'}</strong>
            </p>
            <p class="meaning">{classificationWords(data.classification).meaning}.</p>
            <p class="reason">{data.reason}</p>
            <dl class="facts">
              <div>
                <dt>Monitor</dt>
                <dd>
                  <a href={links.monitor(data.monitorId)}>{data.monitor.name}</a> <code class="muted">{data.monitor.url}</code>
                </dd>
              </div>
              <div>
                <dt>Affected regions</dt>
                <dd>{data.affectedRegions.length > 0 ? listWords(data.affectedRegions) : '—'}</dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{formatTime(data.startedAt)} (first round of the streak)</dd>
              </div>
              <div>
                <dt>Opened</dt>
                <dd>{formatTime(data.openedAt)} (the round that confirmed it)</dd>
              </div>
              <div>
                <dt>{data.state === 'open' ? 'Lasting' : 'Lasted'}</dt>
                <dd>{incidentDuration(data, now)}</dd>
              </div>
              {data.resolvedAt && (
                <div>
                  <dt>Resolved</dt>
                  <dd>{formatTime(data.resolvedAt)}</dd>
                </div>
              )}
              {data.maintenance && (
                <div>
                  <dt>Maintenance</dt>
                  <dd>
                    <MaintenanceMark maintenance={data.maintenance} long />
                  </dd>
                </div>
              )}
              <div>
                <dt>Acknowledged</dt>
                <dd>{data.acknowledgedAt ? `${formatTime(data.acknowledgedAt)}${data.acknowledgedBy ? ` by ${data.acknowledgedBy}` : ''}` : 'not yet'}</dd>
              </div>
            </dl>
            {data.state === 'open' && !data.acknowledgedAt && <AcknowledgeForm id={id} onDone={incident.refresh} />}
          </section>
          <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <IncidentTimeline timeline={data.timeline} />
          </section>
        </>
      )}
    </>
  );
}

/** Acknowledge: write scope; the API's refusal (403 for a read token) is shown as it is. */
function AcknowledgeForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [by, setBy] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', `v1/incidents/${encodeURIComponent(id)}/acknowledge`, { body: by.trim() === '' ? {} : { by: by.trim() } });
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={(event) => void submit(event)}>
      <div class="field">
        <label for="ack-by">Your name (optional)</label>
        <input id="ack-by" value={by} maxLength={200} autocomplete="name" onInput={(event) => setBy(event.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      {error !== undefined && <ErrorNotice error={error} />}
    </form>
  );
}
