import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a latency chart: its legend label and a value (ms, `null`: none) per time. */
export interface LatencyLine {
  label: string;
  values: (number | null)[];
}

/** Latency of one region over time: seconds since the epoch, and one or two lines (p50 and p95, or each check's total). */
export interface LatencySeries {
  at: number[];
  lines: LatencyLine[];
}

/** A chart drawn into an element, redrawn with new data, sized to its container. */
export interface LatencyPlot {
  update(series: LatencySeries): void;
  resize(width: number): void;
  destroy(): void;
}

const HEIGHT = 160;

function color(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const formatValue = (_u: uPlot, value: number | null): string => (value === null ? '—' : value >= 1_000 ? `${(value / 1_000).toFixed(2)} s` : `${Math.round(value)} ms`);

/**
 * A uPlot line chart of latency. Loaded with its stylesheet only when a monitor's page shows a
 * chart, so the grid's bundle stays small. The lines are fixed when drawn (their number and labels).
 */
export function drawLatencyPlot(target: HTMLElement, series: LatencySeries): LatencyPlot {
  const ms = (_: uPlot, values: number[]): string[] => values.map((value) => (value >= 1_000 ? `${(value / 1_000).toFixed(1)} s` : `${Math.round(value)} ms`));
  const axisColor = color('--text-muted', '#555');
  const grid = { stroke: color('--grid', '#e3e3e3'), width: 1 };
  const strokes = [color('--chart-1', '#1f5fbf'), color('--chart-2', '#b0520f')];
  const plot = new uPlot(
    {
      width: Math.max(240, target.clientWidth),
      height: HEIGHT,
      scales: { x: { time: true }, y: { range: (_self, _min, max) => [0, Math.max(10, (max ?? 0) * 1.1)] } },
      axes: [
        { stroke: axisColor, grid, ticks: grid },
        { stroke: axisColor, grid, ticks: grid, values: ms, size: 56 },
      ],
      series: [
        {},
        ...series.lines.map((line, index) => ({
          label: line.label,
          stroke: strokes[index % strokes.length],
          width: 2,
          spanGaps: false,
          // Dots as well as lines: a step between gaps (a monitor minutes old, a region that answers now and then) is a dot, not nothing.
          points: { show: true, size: 4 },
          value: formatValue,
          ...(index > 0 ? { dash: [6, 4] } : {}),
        })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    },
    [series.at, ...series.lines.map((line) => line.values)],
    target,
  );
  return {
    update: (next) => plot.setData([next.at, ...next.lines.map((line) => line.values)]),
    resize: (width) => plot.setSize({ width: Math.max(240, width), height: HEIGHT }),
    destroy: () => plot.destroy(),
  };
}
