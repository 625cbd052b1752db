/**
 * Reads what matters out of a monitor status document of the coordinator's API without
 * depending on its exact shape: the classification, and each region's verdict with its causes.
 */

/** What the demo shows for one monitor. */
export interface StatusSummary {
  /** `operational`, `masked_outage`, ... when found. */
  classification: string | undefined;
  /** Per region: `up`, `down (connection_refused)`, ... */
  regions: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CLASSIFICATIONS = new Set(['operational', 'degraded', 'outage', 'masked_outage', 'regional_outage', 'unknown']);
const VERDICTS = new Set(['up', 'degraded', 'down', 'missing']);

/** A classification found under a `classification` key anywhere in the document (a string, or an object naming it). */
function findClassification(value: unknown, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  if (Array.isArray(value)) {
    for (const child of value) {
      const found = findClassification(child, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const direct = value['classification'];
  if (typeof direct === 'string' && CLASSIFICATIONS.has(direct)) return direct;
  if (isRecord(direct)) {
    for (const key of ['kind', 'type', 'value', 'name', 'classification', 'status']) {
      const named = direct[key];
      if (typeof named === 'string' && CLASSIFICATIONS.has(named)) return named;
    }
  }
  for (const child of Object.values(value)) {
    const found = findClassification(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Codes of the causes that matter (not `info`). */
function causesOf(entry: Record<string, unknown>): string[] {
  const holder = isRecord(entry['verdict']) ? entry['verdict'] : entry;
  const causes = holder['causes'] ?? holder['reasons'];
  if (!Array.isArray(causes)) return [];
  return causes
    // `info` causes (a harmless cache hit) explain without changing anything: they would only flicker.
    .filter((cause) => !(isRecord(cause) && cause['severity'] === 'info'))
    .map((cause) => (isRecord(cause) && typeof cause['code'] === 'string' ? cause['code'] : typeof cause === 'string' ? cause : undefined))
    .filter((code): code is string => code !== undefined);
}

function verdictOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return VERDICTS.has(entry) ? entry : undefined;
  if (!isRecord(entry)) return undefined;
  const holder = isRecord(entry['verdict']) ? entry['verdict'] : entry;
  const status = typeof entry['verdict'] === 'string' ? entry['verdict'] : holder['status'];
  if (typeof status !== 'string' || !VERDICTS.has(status)) return undefined;
  const causes = causesOf(entry);
  return causes.length > 0 ? `${status} (${causes.join(', ')})` : status;
}

/** Per-region verdicts found under `regions`/`byRegion`/`verdicts`/`results`, keyed by region. */
function findRegions(value: unknown, regions: readonly string[], depth = 0): Record<string, string> {
  const found: Record<string, string> = {};
  if (depth > 6) return found;
  if (isRecord(value)) {
    for (const region of regions) {
      const verdict = verdictOf(value[region]);
      if (verdict !== undefined) found[region] = verdict;
    }
    if (Object.keys(found).length > 0) return found;
    for (const child of Object.values(value)) {
      const nested = findRegions(child, regions, depth + 1);
      if (Object.keys(nested).length > 0) return nested;
    }
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (isRecord(item) && typeof item['region'] === 'string' && regions.includes(item['region'])) {
        const verdict = verdictOf(item);
        if (verdict !== undefined) found[item['region']] = verdict;
      }
    }
    if (Object.keys(found).length > 0) return found;
    for (const item of value) {
      const nested = findRegions(item, regions, depth + 1);
      if (Object.keys(nested).length > 0) return nested;
    }
  }
  return found;
}

/** Summarizes a status document for the given regions. */
export function summarizeStatus(document: unknown, regions: readonly string[]): StatusSummary {
  return { classification: findClassification(document), regions: findRegions(document, regions) };
}

/** `masked_outage — eu-west: up (stale_cache), ..., ap-south: down (connection_refused)`; without a classification only the regions. */
export function formatSummary(summary: StatusSummary, regions: readonly string[]): string {
  const parts = regions.filter((region) => summary.regions[region] !== undefined).map((region) => `${region}: ${summary.regions[region]}`);
  if (parts.length === 0) return summary.classification ?? 'no finalized round yet';
  return summary.classification === undefined ? parts.join(', ') : `${summary.classification} — ${parts.join(', ')}`;
}
