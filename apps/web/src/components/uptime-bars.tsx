import { useState } from 'preact/hooks';
import type { SeriesPoint, UptimeReport } from '../api/api-types';
import { formatPercent, formatSeconds } from '../words/format';
import { uptimeDayWords } from '../words/uptime-day-words';

/** The keys that move between days, and by how many. */
const STEP_KEYS: Readonly<Record<string, number>> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1, PageUp: -7, PageDown: 7 };

/**
 * One bar per UTC day (`/series?window=90d&step=1d`), oldest first, with the window's figure from
 * `/uptime?window=90d`. Each bar is a button named by its day in words (date, uptime, worst
 * classification, incident time); one tab stop for them all (arrow keys, Home, End move between
 * days), and the day under the pointer or the focus is written out below the bars.
 */
export function UptimeBars({ points, report }: { points: readonly SeriesPoint[]; report: UptimeReport }) {
  const [selected, setSelected] = useState<number | null>(null);
  const days = points.map((point, index) => uptimeDayWords(point, index === points.length - 1));
  const shown = selected ?? points.length - 1;
  const below = points.filter((point) => point.uptimeRatio !== null && point.uptimeRatio < 0.999).length;
  const { rounds } = report;

  const move = (event: KeyboardEvent, index: number): void => {
    const by = STEP_KEYS[event.key];
    const to = event.key === 'Home' ? 0 : event.key === 'End' ? points.length - 1 : by === undefined ? null : Math.min(points.length - 1, Math.max(0, index + by));
    if (to === null) return;
    event.preventDefault();
    setSelected(to);
    const bars = (event.currentTarget as HTMLElement).parentElement?.children;
    (bars?.[to] as HTMLElement | undefined)?.focus();
  };

  return (
    <figure class="uptime">
      <figcaption>
        <strong class="uptime-figure" data-ratio={report.uptimeRatio ?? ''}>
          {formatPercent(report.uptimeRatio)}
        </strong>{' '}
        uptime, last 90 days
        {report.uptimeRatio !== null && <span class="muted">{below === 0 ? ' (no day below 99.9 %)' : ` (${below} day${below === 1 ? '' : 's'} below 99.9 %)`}</span>}
      </figcaption>
      <div class="uptime-bars" role="group" aria-label="Daily uptime, the last 90 days (UTC), oldest first; arrow keys move between days">
        {points.map((point, index) => {
          const day = days[index]!;
          return (
            <button
              key={point.at}
              type="button"
              class={`uptime-day day-${day.tone}`}
              data-day={point.at.slice(0, 10)}
              aria-label={day.text}
              aria-current={index === points.length - 1 ? 'date' : undefined}
              title={day.text}
              tabIndex={index === shown ? 0 : -1}
              onFocus={() => setSelected(index)}
              onMouseEnter={() => setSelected(index)}
              onClick={() => setSelected(index)}
              onKeyDown={(event) => move(event, index)}
            >
              <span aria-hidden="true">{day.mark}</span>
            </button>
          );
        })}
      </div>
      <div class="uptime-axis" aria-hidden="true">
        <span>90 days ago</span>
        <span>Today</span>
      </div>
      <p class="uptime-detail" aria-live="polite" data-testid="uptime-day-detail">
        {days[shown]?.text ?? 'No day to show.'}
      </p>
      <dl class="facts small">
        <div>
          <dt>Rounds counted</dt>
          <dd>
            {rounds.counted}: {rounds.up} up, {rounds.down} down
          </dd>
        </div>
        <div>
          <dt>Incident open</dt>
          <dd class="incident-minutes">{report.incidentMinutes > 0 ? formatSeconds(report.incidentMinutes * 60) : 'never'}</dd>
        </div>
        {report.excluded.rounds > 0 && (
          <div>
            <dt>Not counted</dt>
            <dd>
              {report.excluded.rounds} round{report.excluded.rounds === 1 ? '' : 's'}: {report.excluded.reason}
            </dd>
          </div>
        )}
      </dl>
    </figure>
  );
}
