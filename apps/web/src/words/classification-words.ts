import type { Classification } from '../api/api-types';
import type { Tone } from './tones';

/** How a classification is shown: a word, an icon, a tone, and what it means in a sentence. */
export interface ClassificationWords {
  label: string;
  icon: string;
  tone: Tone;
  meaning: string;
}

/** Every classification, in words (the order is the filter's). */
export const CLASSIFICATION_WORDS: Readonly<Record<Classification, ClassificationWords>> = {
  outage: { label: 'Outage', icon: '✕', tone: 'bad', meaning: 'enough regions see it down, with fresh evidence: the service is down' },
  masked_outage: {
    label: 'Masked outage',
    icon: '◐',
    tone: 'masked',
    meaning: 'some regions get a cached 200 while the origin behind the cache is failing: a CDN hides a real outage',
  },
  regional_outage: { label: 'Regional outage', icon: '◑', tone: 'bad', meaning: 'some regions see it down while others get fresh content: an edge, route or regional problem' },
  degraded: { label: 'Degraded', icon: '!', tone: 'warn', meaning: 'none down; some slow, stale, or reporting a degraded dependency' },
  unknown: { label: 'Unknown', icon: '?', tone: 'neutral', meaning: 'too few regions answered to decide' },
  operational: { label: 'Operational', icon: '✓', tone: 'ok', meaning: 'every region that answered is up' },
};

/** The words of a classification; a monitor never classified yet is "not checked yet". */
export function classificationWords(classification: Classification | null | undefined): ClassificationWords {
  if (!classification) return { label: 'Not checked yet', icon: '…', tone: 'neutral', meaning: 'no round of this monitor has been finalized yet' };
  return CLASSIFICATION_WORDS[classification];
}

/** Worst first: what a list of monitors sorts by. */
export const CLASSIFICATION_ORDER: readonly Classification[] = ['outage', 'masked_outage', 'regional_outage', 'degraded', 'unknown', 'operational'];
