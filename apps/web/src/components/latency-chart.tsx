import { useEffect, useRef, useState } from 'preact/hooks';
import { formatMs } from '../words/format';
import type { LatencyPlot, LatencySeries } from './latency-plot';

/** The latest non-null value of a series. */
function last(values: readonly (number | null)[]): number | null {
  for (let index = values.length - 1; index >= 0; index--) {
    const value = values[index];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** Where a chart's points come from: the rollups' steps (`/series`), or each recent check of the result history. */
export type LatencySource = 'series' | 'results';

/**
 * One region's latency chart (uPlot, loaded on first use), with its figures in words beside it for
 * those who do not see the canvas. `what` names the points (`one-minute steps of the last hour`);
 * the figure's data attributes say what was drawn, so a test can hold it against the API.
 */
export function LatencyChart({ region, series, what, source }: { region: string; series: LatencySeries; what: string; source: LatencySource }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<LatencyPlot | null>(null);
  // The chart module loads once; by then newer data may have come: it draws the latest.
  const latest = useRef(series);
  latest.current = series;
  const [failed, setFailed] = useState<string | null>(null);
  const [first, second] = series.lines;
  const firstValues = first?.values ?? [];
  const measured = firstValues.filter((value) => value !== null).length;
  const firstMeasured = firstValues.findIndex((value) => value !== null);
  const peak = Math.max(0, ...series.lines.flatMap((line) => line.values.filter((value) => value !== null) as number[]));

  useEffect(() => {
    let gone = false;
    let observer: ResizeObserver | undefined;
    void import('./latency-plot').then(
      ({ drawLatencyPlot }) => {
        if (gone || !container.current) return;
        plot.current = drawLatencyPlot(container.current, latest.current);
        observer = new ResizeObserver((entries) => {
          const width = entries[0]?.contentRect.width;
          if (width) plot.current?.resize(width);
        });
        observer.observe(container.current);
      },
      (error: unknown) => setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      gone = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Drawn once; new data goes through update below.
  }, []);

  useEffect(() => {
    plot.current?.update(series);
  }, [series]);

  const lines = series.lines.map((line) => line.label).join(' and ');
  const summary =
    measured === 0
      ? `no latency measured in the ${series.at.length} ${what}`
      : `${lines} of ${measured} of the ${series.at.length} ${what} (the others had no response); latest ${first?.label ?? ''} ${formatMs(last(firstValues))}${second ? `, ${second.label} ${formatMs(last(second.values))}` : ''}; highest ${formatMs(peak)}`;
  return (
    <figure
      class="chart"
      data-region={region}
      data-source={source}
      data-points={series.at.length}
      data-measured={measured}
      data-first-measured-at={firstMeasured < 0 ? undefined : new Date((series.at[firstMeasured] ?? 0) * 1_000).toISOString()}
    >
      <figcaption>
        <strong>{region}</strong> <span class="muted">{summary}</span>
      </figcaption>
      {failed ? <p class="notice notice-error">The chart could not load: {failed}</p> : <div ref={container} class="chart-canvas" aria-hidden="true" />}
    </figure>
  );
}
