import type { IncidentView } from '../api/api-types';
import { formatTime } from '../words/format';
import { Badge } from './badges';

/** An open incident's maintenance mark: it stays open, and nothing about it is sent but its resolution. */
export function MaintenanceMark({ maintenance, long = false }: { maintenance: IncidentView['maintenance']; long?: boolean }) {
  if (!maintenance) return null;
  return (
    <>
      {' '}
      <Badge tone="warn" icon="⚒" label={`in maintenance since ${formatTime(maintenance.since)}`} />
      {long && <span class="small"> {maintenance.reason}: nothing about it is sent but its resolution.</span>}
    </>
  );
}
