import type { FleetRegionView } from '../api/api-types';
import { causeWords } from '../words/cause-words';
import { formatMs, formatSeconds } from '../words/format';
import { bypassWords } from '../words/region-facts';
import { READING_WORDS } from '../words/status-words';
import { StatusBadge } from './badges';

/**
 * Every region of a round side by side: what users got (status, cache, age), what the
 * cache-bypassing request saw, and the verdict. The picture of a masked outage: the regions that
 * get a cached 200 are marked, next to what their bypass request got.
 */
export function RegionsTable({ regions, caption }: { regions: Readonly<Record<string, FleetRegionView>>; caption: string }) {
  return (
    <div class="table-wrap">
      <table class="regions-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col">Verdict</th>
            <th scope="col">What users got</th>
            <th scope="col">Cache</th>
            <th scope="col">Cache-bypassing request</th>
            <th scope="col">Main cause</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(regions).map(([region, cell]) => (
            <tr key={region} class={`reading-${cell.reading}${cell.affected ? ' affected' : ''}`} data-region={region}>
              <th scope="row" data-label="Region">
                {region}
                {cell.affected && <span class="tag">affected</span>}
              </th>
              <td data-label="Verdict">
                <StatusBadge status={cell.status} />
                <span class="reading">{READING_WORDS[cell.reading]}</span>
              </td>
              <td data-label="What users got">{servedCell(cell)}</td>
              <td data-label="Cache">{cacheCell(cell)}</td>
              <td data-label="Cache-bypassing request">{bypassCell(cell)}</td>
              <td data-label="Main cause">{cell.mainCause ? <span title={cell.mainCause.message}>{causeWords(cell.mainCause.code)}</span> : cell.note ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function servedCell(cell: FleetRegionView) {
  if (cell.status === 'missing') return <span>no answer</span>;
  if (cell.httpStatus === null) return <span>no response{cell.probeError ? ` (${causeWords(cell.probeError)})` : ''}</span>;
  return (
    <span>
      <strong class={cell.reading === 'down_behind_cache' ? 'masked-200' : undefined}>{cell.httpStatus}</strong>
      {cell.errorPageVendor ? ` ${cell.errorPageVendor} error page` : ''} in {formatMs(cell.totalMs)}
    </span>
  );
}

function cacheCell(cell: FleetRegionView) {
  if (cell.cacheHit === null) return <span>—</span>;
  if (!cell.cacheHit) return <span>not cached</span>;
  return (
    <span>
      <span aria-hidden="true">◈ </span>cached{cell.ageSeconds !== null ? `, age ${formatSeconds(cell.ageSeconds)}` : ''}
    </span>
  );
}

function bypassCell(cell: FleetRegionView) {
  const words = bypassWords(cell);
  if (words === null) return <span>{cell.cacheHit ? 'not made, or no answer' : '—'}</span>;
  const failing = cell.bypassError !== null || (cell.bypassStatus !== null && cell.bypassStatus >= 500) || cell.reading === 'down_behind_cache';
  return (
    <span class={failing ? 'bypass-failed' : 'bypass-ok'}>
      <span aria-hidden="true">{failing ? '✕ ' : '✓ '}</span>
      {words}
    </span>
  );
}
