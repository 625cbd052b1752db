import { recurrenceWords, type MonitorMaintenance } from '../pages/maintenance';
import { formatTime } from '../words/format';
import { Badge } from './badges';
import { EmptyNote } from './error-notice';

/** "Under maintenance until …", with the reasons, while a window covering the monitor is in effect. */
export function MaintenanceBanner({ maintenance }: { maintenance: MonitorMaintenance }) {
  if (maintenance.activeUntil === null) return null;
  return (
    <div class="notice notice-maintenance" role="status" data-testid="maintenance-banner">
      <p>
        <span aria-hidden="true">⚒ </span>
        <strong>Under maintenance until {formatTime(maintenance.activeUntil)}</strong>: {maintenance.active.map((entry) => entry.window.reason).join('; ')}. Rounds still run and are
        recorded; no incident opens and nothing is sent.
      </p>
    </div>
  );
}

/** The windows that cover the monitor: in effect now, and to come. */
export function MaintenanceSection({ maintenance, loaded }: { maintenance: MonitorMaintenance; loaded: boolean }) {
  const rows = [...maintenance.active.map((entry) => ({ ...entry, now: true })), ...maintenance.upcoming.map((entry) => ({ ...entry, now: false }))];
  return (
    <section aria-labelledby="maintenance-heading">
      <h2 id="maintenance-heading">Maintenance</h2>
      {loaded && rows.length === 0 && <EmptyNote>No maintenance window covers this monitor now or later.</EmptyNote>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="list maintenance-table">
            <caption>Windows that cover this monitor, in effect first</caption>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">When</th>
                <th scope="col">State</th>
                <th scope="col">Covers by</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.window.id}-${row.occurrence.startsAt}`} data-window-id={row.window.id}>
                  <th scope="row" data-label="Reason">
                    {row.window.reason}
                    <span class="url">
                      <code class="break">{row.window.key}</code>
                    </span>
                  </th>
                  <td data-label="When">
                    {formatTime(row.occurrence.startsAt)} to {formatTime(row.occurrence.endsAt)}
                    <span class="url">{recurrenceWords(row.window)}</span>
                  </td>
                  <td data-label="State">
                    <Badge tone={row.now ? 'warn' : 'neutral'} icon={row.now ? '⚒' : '◷'} label={row.now ? 'In effect' : 'Upcoming'} />
                  </td>
                  <td data-label="Covers by">
                    {row.window.labels !== null
                      ? `labels ${Object.entries(row.window.labels)
                          .map(([name, value]) => `${name}=${value}`)
                          .join(', ')}`
                      : 'naming this monitor'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
