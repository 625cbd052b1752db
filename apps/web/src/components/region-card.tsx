import type { FleetRegionView, MonitorStatusView, ResultEntryView } from '../api/api-types';
import { causeWords } from '../words/cause-words';
import { formatMs, formatSeconds, formatTime } from '../words/format';
import { regionSentence } from '../words/region-facts';
import { READING_WORDS } from '../words/status-words';
import { SeverityBadge, StatusBadge } from './badges';
import { EvidenceList } from './evidence-list';

type RegionReportView = MonitorStatusView['regions'][string];

const TIMING_PHASES = [
  ['dns', 'DNS'],
  ['connect', 'connect'],
  ['tls', 'TLS'],
  ['firstByte', 'first byte'],
  ['total', 'total'],
] as const;

/**
 * One region of the latest round in full: its verdict, how reconcile read it, every cause with its
 * evidence, the key evidence (status, cache signals and age, bypass result, error-page vendor) and
 * the timings of its latest full result.
 */
export function RegionCard({ region, report, cell, latest }: { region: string; report: RegionReportView; cell: FleetRegionView | undefined; latest: ResultEntryView | undefined }) {
  const evidence = report.evidence;
  const headingId = `region-${region}`;
  return (
    <section class={`card region-card${cell?.affected ? ' affected' : ''}`} aria-labelledby={headingId} data-region={region}>
      <header class="card-header">
        <h3 id={headingId}>{region}</h3>
        <StatusBadge status={report.status} />
        {cell && <span class="reading">{READING_WORDS[cell.reading]}</span>}
        {cell?.affected && <span class="tag">affected</span>}
      </header>
      {cell && <p class="region-sentence">{regionSentence(region, cell)}.</p>}
      {report.reason && <p class="muted">{report.reason}</p>}

      {evidence && (
        <dl class="facts">
          <div>
            <dt>Status users got</dt>
            <dd>{evidence.httpStatus ?? 'no response'}</dd>
          </div>
          <div>
            <dt>Cache</dt>
            <dd>
              {evidence.cache.hit ? 'served from a cache' : 'not from a cache'}
              {evidence.cache.ageSeconds !== undefined ? `, age ${formatSeconds(evidence.cache.ageSeconds)}` : ''}
            </dd>
          </div>
          {evidence.cache.signals.length > 0 && (
            <div>
              <dt>Cache signals</dt>
              <dd>
                <ul class="plain">
                  {evidence.cache.signals.map((signal) => (
                    <li key={signal}>
                      <code>{signal}</code>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
          <div>
            <dt>Cache-bypassing request</dt>
            <dd>{bypassText(evidence.bypassStatus, cell)}</dd>
          </div>
          {evidence.errorPageVendor && (
            <div>
              <dt>Error page of</dt>
              <dd>{evidence.errorPageVendor}</dd>
            </div>
          )}
          {evidence.probeError && (
            <div>
              <dt>Probe error</dt>
              <dd>{causeWords(evidence.probeError)}</dd>
            </div>
          )}
          <div>
            <dt>Final URL</dt>
            <dd class="break">
              <code>{evidence.finalUrl}</code>
              {evidence.redirects > 0 ? ` after ${evidence.redirects} redirect${evidence.redirects === 1 ? '' : 's'}` : ''}
            </dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd>{formatMs(evidence.totalMs)}</dd>
          </div>
        </dl>
      )}

      {latest?.observation && (
        <div class="timings">
          <h4>Timings</h4>
          <dl class="timing-list">
            {TIMING_PHASES.map(([phase, label]) => (
              <div key={phase}>
                <dt>{label}</dt>
                <dd>{formatMs(latest.observation?.timings[phase])}</dd>
              </div>
            ))}
          </dl>
          <p class="muted small">From the check of {formatTime(latest.recordedAt)}.</p>
        </div>
      )}

      <h4>Causes</h4>
      {report.causes.length === 0 ? (
        <p class="muted">None: every expectation held.</p>
      ) : (
        <ul class="causes">
          {report.causes.map((cause, index) => (
            <li key={`${cause.code}-${index}`} class={`cause severity-${cause.severity}`}>
              <p>
                <SeverityBadge severity={cause.severity} /> <strong>{causeWords(cause.code)}</strong> <code class="muted">{cause.code}</code>
              </p>
              {cause.message && <p>{cause.message}</p>}
              <EvidenceList evidence={cause.evidence} />
            </li>
          ))}
        </ul>
      )}

      {latest?.expectations && latest.expectations.length > 0 && (
        <>
          <h4>Failed expectations</h4>
          <ul class="plain">
            {latest.expectations.map((expectation, index) => (
              <li key={index}>
                <code>{expectation.description}</code>
              </li>
            ))}
          </ul>
        </>
      )}

      <p class="muted small">
        {report.checkedAt ? `Checked ${formatTime(report.checkedAt)}` : 'Not checked in the latest round'}
        {report.agentId ? ` by ${report.agentId}${report.agentVersion ? ` (${report.agentVersion})` : ''}` : ''}
      </p>
    </section>
  );
}

function bypassText(keyStatus: number | null | undefined, cell: FleetRegionView | undefined): string {
  const status = cell?.bypassStatus ?? keyStatus ?? null;
  if (cell?.bypassError) return `failed: ${causeWords(cell.bypassError)}`;
  if (status === null) return 'not made, or no response';
  return `answered ${status}${cell?.bypassErrorPageVendor ? ` (${cell.bypassErrorPageVendor} error page)` : ''}`;
}
