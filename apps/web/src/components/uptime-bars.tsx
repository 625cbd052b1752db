import type { SeriesPoint } from '../api/history-types';
import { formatPercent } from '../words/format';

/** How a day's uptime is shown: the tone, and a mark for those who do not see colours. */
function dayTone(ratio: number | null): { tone: string; mark: string } {
  if (ratio === null) return { tone: 'none', mark: '' };
  if (ratio >= 0.999) return { tone: 'ok', mark: '' };
  if (ratio >= 0.99) return { tone: 'warn', mark: '!' };
  return { tone: 'bad', mark: '✕' };
}

/**
 * One bar per day (90 of them), its height and mark saying how the day went; the figures in words
 * for screen readers, and each day's figure on hover.
 */
export function UptimeBars({ points, uptimeRatio }: { points: readonly SeriesPoint[]; uptimeRatio: number | null }) {
  const worst = points.filter((point) => point.uptimeRatio !== null && point.uptimeRatio < 0.999);
  const counted = points.filter((point) => point.uptimeRatio !== null).length;
  const description =
    `${formatPercent(uptimeRatio)} uptime over ${points.length} days (${counted} with rounds counted)` +
    (worst.length === 0 ? '; no day below 99.9 %' : `; ${worst.length} day${worst.length === 1 ? '' : 's'} below 99.9 %: ${worst.slice(0, 5).map((point) => `${point.at.slice(0, 10)} ${formatPercent(point.uptimeRatio)}`).join(', ')}${worst.length > 5 ? ', …' : ''}`);
  return (
    <figure class="uptime">
      <figcaption>
        <strong class="uptime-figure">{formatPercent(uptimeRatio)}</strong> uptime, last 90 days
      </figcaption>
      <div class="uptime-bars" role="img" aria-label={description}>
        {points.map((point) => {
          const { tone, mark } = dayTone(point.uptimeRatio);
          return (
            <span
              key={point.at}
              class={`uptime-day day-${tone}`}
              title={`${point.at.slice(0, 10)}: ${point.uptimeRatio === null ? 'no rounds counted' : `${formatPercent(point.uptimeRatio)} up`}${point.worst && point.worst !== 'operational' ? `, worst ${point.worst.replace(/_/g, ' ')}` : ''}`}
            >
              {mark}
            </span>
          );
        })}
      </div>
      <p class="muted small">{description}.</p>
    </figure>
  );
}
