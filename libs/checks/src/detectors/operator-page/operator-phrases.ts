/**
 * What operators write when their service is not there: the text of hand-made maintenance pages,
 * `return 200 "…"` stubs, and the bare error strings of proxies (Envoy, Go's reverse proxy,
 * HAProxy's `no server is available`) passed through with a 200 by a misconfigured layer.
 *
 * Compared with text normalised by {@link normaliseText}: lower case, straight apostrophes,
 * whitespace collapsed. Translations are out of scope.
 */

/** How much a phrase says on its own. */
export type PhraseWeight = 'strong' | 'weak';

/**
 * Phrases that say "the service is not there" on their own, when they dominate a short page.
 * Ordered longest first where one contains another, so the most specific one is named.
 */
const STRONG_PHRASES: readonly string[] = [
  'upstream connect error or disconnect/reset before headers',
  'the server is temporarily unable to service your request',
  'no server is available to handle this request',
  'is currently undergoing scheduled maintenance',
  'performing scheduled maintenance',
  'undergoing scheduled maintenance',
  'down for scheduled maintenance',
  'temporarily down for maintenance',
  'down for maintenance',
  'offline for maintenance',
  'closed for maintenance',
  'undergoing maintenance',
  'performing maintenance',
  'maintenance in progress',
  'under maintenance',
  'currently in maintenance mode',
  'is in maintenance mode',
  'service temporarily unavailable',
  'temporarily unavailable',
  'briefly unavailable',
  'service unavailable',
  'service is unavailable',
  'site is currently unavailable',
  'service is currently unavailable',
  'website is currently unavailable',
  'server is currently unavailable',
  "we'll be back soon",
  'we will be back soon',
  "we'll be right back",
  "we'll be back shortly",
  'we will be back shortly',
  'be back online shortly',
  '502 bad gateway',
  'bad gateway',
  '504 gateway timeout',
  '504 gateway time-out',
  'gateway timeout',
  'gateway time-out',
  'no healthy upstream',
  'upstream request timeout',
  'upstream connect error',
  'upstream timed out',
  'no available server',
  'backend fetch failed',
  'origin is unreachable',
  'connection refused',
  'service is overloaded',
  'server is overloaded',
  'servers are overloaded',
  'service overloaded',
  'server overloaded',
  'server too busy',
  'server is too busy',
  'servers are too busy',
  'experiencing technical difficulties',
  'temporarily down',
  'temporarily offline',
];

/**
 * Phrases that also appear on healthy pages ("the link expired, please try again",
 * "scheduled maintenance on Sunday"): they count only beside a strong phrase, or as the whole
 * of a tiny text that also speaks of the server, or as a page's whole title.
 */
const WEAK_PHRASES: readonly string[] = [
  'please try again later',
  'please try again',
  'try again later',
  'try again in a few minutes',
  'scheduled maintenance',
  'maintenance mode',
  'too busy',
  // "Know when your site is down" is a slogan as often as a notice.
  'service is down',
  'site is down',
];

/** Words that make a tiny text with only a weak phrase about the server ("Server busy, please try again later"). */
const OUTAGE_WORDS = /\b(?:server|servers|service|site|website|unavailable|overloaded|busy|down|offline|maintenance|capacity|outage|high demand|high traffic)\b/;

/**
 * Single words, at least one of which every phrase holds: a page whose lower-cased markup has
 * none of them cannot match, and is passed over before any text is extracted (the usual case).
 */
export const PHRASE_ANCHORS: readonly string[] = [
  'unavailable', 'maintenance', 'gateway', 'upstream', 'overloaded', 'busy', 'refused', 'unreachable', 'fetch failed',
  'no server', 'unable to service', 'difficulties', 'back', 'temporarily', 'try again', 'available server', 'down',
];

/** Whether a lower-cased text may hold a phrase (see {@link PHRASE_ANCHORS}). */
export function mayHoldPhrase(lower: string): boolean {
  return PHRASE_ANCHORS.some((anchor) => lower.includes(anchor));
}

/** Every phrase, strong then weak, for tests and documentation. */
export const OPERATOR_PHRASES: readonly string[] = [...STRONG_PHRASES, ...WEAK_PHRASES];

export interface PhraseHit {
  phrase: string;
  weight: PhraseWeight;
  /** Offset in the normalised text. */
  at: number;
}

const WEIGHT: ReadonlyMap<string, PhraseWeight> = new Map([
  ...STRONG_PHRASES.map((p) => [p, 'strong'] as const),
  ...WEAK_PHRASES.map((p) => [p, 'weak'] as const),
]);

/** Every phrase, longest first (`indexOf` per phrase beats one alternation on the short texts read here). */
const PHRASES: readonly string[] = [...WEIGHT.keys()].sort((a, b) => b.length - a.length);

const QUOTES: ReadonlySet<string> = new Set(['"', "'", '`', '\u201c', '\u00ab', '\u201e']);

/** Words before a phrase that make it history, a forecast or a denial: "was down for maintenance", "will be temporarily unavailable", "is no longer". */
const NOT_NOW = /\b(?:was|were|had been|will be|may be|might be|could be|would be|not|never|no longer)\s$/;

/**
 * Words of a page that reports on an outage rather than being one: a status page, an incident
 * history, a page about an error (`the header tells…`, `responds with…`).
 */
const REPORTING =
  /\b(?:all systems (?:are )?operational|(?<!be )(?:fully|are|is) operational|operating normally|(?:has|have) been (?:resolved|completed)|(?<!be )resolved\s*[-\u2013\u2014:),.]|no incidents|(?:maintenance|has been|was) completed|completed\s*[-\u2013\u2014:]|(?:is|are) back(?: up| online)?(?: and| again|[.,!])|status code|means that|means the|(?<!before )headers?\b|responds? with|answers? with|returns? (?:a|an|the)\b|(?:answers?|returns?|responds?|replies|sends?)(?: with)?(?: an?| the)?(?: http)?(?: status)? [1-5]\d\d\b|for example|(?:if|when) you see (?!this))/;

/** Whether a normalised text reports on outages (a status page, a docs paragraph) rather than announcing one. */
export function reportsOnOutages(normalised: string): boolean {
  return REPORTING.test(normalised);
}

const REPLY = /^ (?:with|to you|in touch)\b/;
const CONDITIONAL = /\b(?:if|when|whenever|in case|even if)\b/;
/** The one condition an operator's page does put before its phrase: "If you are seeing this page, the site is down for maintenance". */
const ABOUT_THIS_PAGE = /\b(?:if|when) you(?:'re| are)? see(?:ing)? this\b/;

/** Whether the phrase sits in a condition of its sentence ("when a provider is temporarily unavailable, we…"): a case, not a notice. */
function hypothetical(normalised: string, at: number): boolean {
  const from = Math.max(normalised.lastIndexOf('. ', at), normalised.lastIndexOf('! ', at), normalised.lastIndexOf('? ', at), 0);
  const before = normalised.slice(from, at);
  return CONDITIONAL.test(before) && !ABOUT_THIS_PAGE.test(before);
}

/** Every phrase in a normalised text, in order, strong and weak. */
export function findPhrases(normalised: string): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const phrase of PHRASES) {
    for (let at = normalised.indexOf(phrase); at >= 0; at = normalised.indexOf(phrase, at + 1)) {
      // A quoted phrase is mentioned, not said (`the "we'll be back soon" template`); see NOT_NOW for the rest.
      if (QUOTES.has(normalised.charAt(at - 1)) || NOT_NOW.test(normalised.slice(Math.max(0, at - 12), at))) continue;
      if (hypothetical(normalised, at)) continue;
      // "We'll be back soon with an answer": a reply promised, not a service gone.
      if (phrase.includes(' back ') && REPLY.test(normalised.slice(at + phrase.length, at + phrase.length + 12))) continue;
      hits.push({ phrase, weight: WEIGHT.get(phrase) ?? 'weak', at });
    }
  }
  // In reading order; at one offset the longer (more specific) phrase first, as sorted above.
  return hits.sort((a, b) => a.at - b.at);
}

/** Whether a normalised text names the server or an outage (for a weak phrase in a tiny text). */
export function speaksOfOutage(normalised: string): boolean {
  return OUTAGE_WORDS.test(normalised);
}

/** Lower case, straight apostrophes, whitespace collapsed: what phrases are compared with. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/\s{2,}|[^\S ]/g, ' ')
    .trim();
}
