import type { HttpMethod } from './monitor-spec.schema';

/** An inclusive range of HTTP statuses. */
export interface StatusRange {
  from: number;
  to: number;
}

/** Parses `200`, `"2xx"` or `"200-299"` into a range; the schema has already checked the form. */
export function parseStatusEntry(entry: number | string): StatusRange {
  if (typeof entry === 'number') return { from: entry, to: entry };
  const klass = /^([1-5])xx$/.exec(entry);
  if (klass) {
    const base = Number(klass[1]) * 100;
    return { from: base, to: base + 99 };
  }
  const [from, to] = entry.split('-').map(Number);
  return { from: from ?? 0, to: to ?? from ?? 0 };
}

/**
 * What "success" means for a method when the monitor does not say: 2xx, narrowed where the
 * method's semantics say so (a DELETE answers 200, 202 or 204; OPTIONS 200 or 204).
 */
export function defaultStatusRanges(method: HttpMethod, followRedirects: boolean): StatusRange[] {
  const ranges: StatusRange[] =
    method === 'DELETE'
      ? [{ from: 200, to: 200 }, { from: 202, to: 202 }, { from: 204, to: 204 }]
      : method === 'OPTIONS'
        ? [{ from: 200, to: 200 }, { from: 204, to: 204 }]
        : [{ from: 200, to: 299 }];
  // A monitor that does not follow redirects expects to see them.
  if (!followRedirects) ranges.push({ from: 301, to: 303 }, { from: 307, to: 308 });
  return ranges;
}

export function statusInRanges(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((range) => status >= range.from && status <= range.to);
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(', ');
}
