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

/**
 * One region's latency chart (uPlot, loaded on first use), with its figures in words beside it for
 * those who do not see the canvas.
 */
export function LatencyChart({ region, series, what }: { region: string; series: LatencySeries; what: string }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<LatencyPlot | null>(null);
  // The chart module loads once; by then newer data may have come: it draws the latest.
  const latest = useRef(series);
  latest.current = series;
  const [failed, setFailed] = useState<string | null>(null);
  const [first, second] = series.lines;
  const measured = (first?.values ?? []).filter((value) => value !== null) as number[];
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

  const summary =
    measured.length === 0
      ? `no latency measured in ${what}`
      : `${measured.length} points over ${what}; latest ${first?.label ?? ''} ${formatMs(last(first?.values ?? []))}${second ? `, ${second.label} ${formatMs(last(second.values))}` : ''}; highest ${formatMs(peak)}`;
  return (
    <figure class="chart" data-region={region}>
      <figcaption>
        <strong>{region}</strong> <span class="muted">{summary}</span>
      </figcaption>
      {failed ? <p class="notice notice-error">The chart could not load: {failed}</p> : <div ref={container} class="chart-canvas" aria-hidden="true" />}
    </figure>
  );
}
