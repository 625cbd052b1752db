import type { RegionReading, RegionStatus } from '../api/api-types';
import type { Tone } from './tones';

/** How a region's status is shown. */
export interface StatusWords {
  label: string;
  icon: string;
  tone: Tone;
}

/** A region's verdict, in words. */
export const STATUS_WORDS: Readonly<Record<RegionStatus, StatusWords>> = {
  up: { label: 'Up', icon: '✓', tone: 'ok' },
  degraded: { label: 'Degraded', icon: '!', tone: 'warn' },
  down: { label: 'Down', icon: '✕', tone: 'bad' },
  missing: { label: 'Missing', icon: '–', tone: 'neutral' },
};

/** How reconcile read a region's answer, in a few words. */
export const READING_WORDS: Readonly<Record<RegionReading, string>> = {
  down_behind_cache: 'cached 200, origin failing behind it',
  down_direct: 'down, fresh evidence',
  cached_unverified: 'cached, origin not verified',
  fresh: 'fresh from the origin',
  refused: 'refused by the agent (address policy)',
  missing: 'no answer',
};
