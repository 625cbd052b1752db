import { findContentLag, type ContentLag } from './content-lag';
import { readRegion, type RegionRead } from './region-reading';
import type { RoundVerdicts } from './round-verdicts';

/** A round's regions, read and sorted into the groups the rules compare. Every list is sorted by region. */
export interface RoundGroups {
  all: RegionRead[];
  /** Missing or refused. */
  blind: RegionRead[];
  answering: RegionRead[];
  downDirect: RegionRead[];
  downBehindCache: RegionRead[];
  /** Up or degraded from a cache nothing verified. */
  cachedUnverified: RegionRead[];
  /** Degraded, fresh or not. */
  degraded: RegionRead[];
  /** Up, fresh or not. */
  up: RegionRead[];
  /** Answering regions, not down, whose content lags the others' (see `findContentLag`), by region. */
  lagging: ContentLag[];
}

/** Reads every region of a round and sorts them into groups. Regions are ordered by name (code units), so the result is deterministic. */
export function groupRegions(input: RoundVerdicts, lastModifiedSkewSeconds: number): RoundGroups {
  const all: RegionRead[] = Object.keys(input.regions)
    .sort()
    .map((region) => {
      const verdict = input.regions[region]!;
      return { region, verdict, reading: readRegion(verdict) };
    });
  const answering = all.filter((r) => r.reading !== 'missing' && r.reading !== 'refused');
  const notDown = answering.filter((r) => r.verdict.status !== 'down');
  return {
    all,
    blind: all.filter((r) => r.reading === 'missing' || r.reading === 'refused'),
    answering,
    downDirect: answering.filter((r) => r.reading === 'down_direct'),
    downBehindCache: answering.filter((r) => r.reading === 'down_behind_cache'),
    cachedUnverified: answering.filter((r) => r.reading === 'cached_unverified'),
    degraded: answering.filter((r) => r.verdict.status === 'degraded'),
    up: answering.filter((r) => r.verdict.status === 'up'),
    lagging: findContentLag(notDown, lastModifiedSkewSeconds),
  };
}
