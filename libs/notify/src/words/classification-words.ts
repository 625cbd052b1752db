import type { IncidentClassification } from '@crosscheck/checks';

/** How each classification is named in a sentence, and what it means for the people reading it. */
const WORDS: Record<IncidentClassification, { name: string; meaning: string }> = {
  outage: { name: 'outage', meaning: 'the service is down' },
  masked_outage: { name: 'masked outage', meaning: 'a cache hides a real outage' },
  regional_outage: { name: 'regional outage', meaning: 'down in some regions, up in others' },
  degraded: { name: 'degraded', meaning: 'up, but slow, stale or reporting a failing dependency' },
};

/** `masked outage`. */
export function classificationName(classification: IncidentClassification): string {
  return WORDS[classification].name;
}

/** `Masked outage: a cache hides a real outage`. */
export function classificationWords(classification: IncidentClassification): string {
  const { name, meaning } = WORDS[classification];
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}: ${meaning}`;
}

/** `a masked outage`, `an outage`. */
export function withArticle(classification: IncidentClassification): string {
  const name = WORDS[classification].name;
  return classification === 'degraded' ? 'a degradation' : `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}
