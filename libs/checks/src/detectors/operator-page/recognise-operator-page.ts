import { isJsonObject, type JsonObject } from '../../json/json-object';
import { readHtmlPage } from '../soft-error/html-page';
import { findPhrases, mayHoldPhrase, normaliseText, reportsOnOutages, speaksOfOutage, type PhraseHit } from './operator-phrases';
import { readVisibleHtml } from './visible-text';

/** Where an operator's text was read. */
export type OperatorTextPlace = 'text' | 'html title' | 'html h1' | 'html body' | 'html meta refresh' | `json ${string}`;

/** An operator-written error or maintenance page recognised in a response. */
export interface OperatorPageMatch {
  /** The phrase that decided it, normalised (`temporarily unavailable`, `no healthy upstream`). */
  phrase: string;
  place: OperatorTextPlace;
  /** What the page says there (the text, title, heading or JSON value), up to 200 characters. */
  text: string;
  /** Characters of visible text on the page (the whole text, or the HTML's text outside tags and scripts). */
  textLength: number;
  /** HTML only: links on the page. */
  links?: number;
  /** JSON only: the object's field count. */
  fields?: number;
}

/** The part of an evaluation the recogniser reads. */
export interface OperatorPageInput {
  body: string;
  bodyTruncated: boolean;
  mediaType: string;
  /** The body parsed as JSON, when it was JSON. */
  json: { parsed: true; value: unknown } | { parsed: false };
  /** The response object, the key under which the HTML page is read once for every detector. */
  response: Parameters<typeof readHtmlPage>[0];
}

/** A text page longer than this says more than "we are down"; a stub says it in a line or two. */
export const TEXT_PAGE_MAX_CHARS = 600;
/** An HTML page whose title or heading says it may explain a little more; past this it is a real page. */
export const HTML_PAGE_MAX_CHARS = 1500;
/** Where on a short page the phrase must start: its first sentence or two, not a footnote. */
const PHRASE_MAX_OFFSET = 300;
/** A text holding only a weak phrase counts when it is this short and speaks of the server. */
const TINY_TEXT_CHARS = 120;
/** A maintenance stub links to a status page and a few socials; a site links to much more. */
const MAX_LINKS = 6;
const MAX_TEXT_LINES = 12;
/** A stub has a heading or two; lists and sections make a document. */
const MAX_STRUCTURE = 2;
const MAX_JSON_FIELDS = 8;
const MAX_JSON_STRING_CHARS = 300;
const MAX_HEADING_CHARS = 100;
const NOTICE_MIN_WORDS = 5;
const MAX_SHOWN_CHARS = 200;

/** Media types read as plain text: what nginx's `return 200 "…"` is served as (`default_type`), and untyped bodies. */
const TEXT_TYPES: ReadonlySet<string> = new Set(['', 'text/plain', 'application/octet-stream']);
const HTML_TYPES: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml']);

/** Keys an operator's JSON stub carries: its message and the envelope around it, nothing that is data. */
const MESSAGE_KEYS = ['message', 'msg', 'detail', 'error', 'status', 'description', 'reason', 'title'];
const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  ...MESSAGE_KEYS, 'code', 'statuscode', 'status_code', 'errorcode', 'error_code', 'type', 'instance', 'timestamp', 'time',
  'path', 'requestid', 'request_id', 'traceid', 'trace_id', 'retryafter', 'retry_after', 'retry', 'success', 'ok', 'errormessage',
  'error_message', 'error_description', 'statustext', 'status_text',
]);
const MESSAGE_KEY_SET: ReadonlySet<string> = new Set([...MESSAGE_KEYS, 'errormessage', 'error_message', 'error_description', 'statustext', 'status_text']);

/** Titles and headings of articles about errors ("How to fix 502 Bad Gateway"), not of error pages. */
const ARTICLE_START = /^(?:how|why|what|when|know|learn|stop|never|see|get|fix|fixing|troubleshoot|troubleshooting|handling|handle|understanding|guide|faq|a guide|the guide|dealing with|resolving|resolve|debugging|avoiding)\b/;
/** A text that starts by saying it is fine (`OK - upstream connect errors: 0`) is a health answer, whatever follows. */
const HEALTHY_TEXT = /^(?:ok|okay|healthy|up|pass|passed|alive|ready|live|success|green|all good)\b(?![-'])/;
/** A refresh to a page named for the outage. */
const REFRESH_OUTAGE = /maint|unavailable|outage|offline|503|down/;

/**
 * Recognises an operator-written error or maintenance page: plain text, HTML or a small JSON
 * object whose phrase ("temporarily unavailable", "under maintenance", "no healthy upstream",
 * "upstream connect error…") dominates it. Precise by weighing the phrase against the page: the
 * text must be short (a stub, not an article mentioning an outage), an HTML page must have little
 * else (no navigation, few links), a JSON object must carry nothing but the message. Cheap on
 * healthy responses: a JSON object with data is rejected at its first non-envelope key, a long
 * page when its scan passes the limit.
 */
export function recogniseOperatorPage(input: OperatorPageInput): OperatorPageMatch | undefined {
  const { body, mediaType, json } = input;
  if (body === '' || input.bodyTruncated) return undefined;
  if (json.parsed) return isJsonObject(json.value) ? fromJson(json.value) : undefined;
  const first = firstChar(body);
  if (first === '{' || first === '[') return undefined;
  if (HTML_TYPES.has(mediaType) || (first === '<' && TEXT_TYPES.has(mediaType))) {
    const page = readHtmlPage(input.response, mediaType);
    if (page) return fromHtml(page.head, page.lower, page.title, page.h1);
    return undefined;
  }
  // A JSON media type with a body that is not JSON is a text an operator put there.
  if (TEXT_TYPES.has(mediaType) || mediaType.endsWith('json')) return fromText(body);
  return undefined;
}

function fromText(body: string): OperatorPageMatch | undefined {
  if (body.length > TEXT_PAGE_MAX_CHARS * 4 || !mayHoldPhrase(body.toLowerCase())) return undefined;
  const text = normaliseText(body);
  if (text.length > TEXT_PAGE_MAX_CHARS || HEALTHY_TEXT.test(text) || isStructuredText(body)) return undefined;
  const hit = decisive(findPhrases(text), text);
  if (hit && reportsOnOutages(text)) return undefined;
  if (!hit) return undefined;
  return { phrase: hit.phrase, place: 'text', text: clip(collapse(body)), textLength: text.length };
}

/**
 * Metrics, CSV, robots.txt, `key: value` listings and long line lists are data a machine reads,
 * even when a line mentions an outage (`# HELP upstream_503_total … Service Unavailable …`).
 */
function isStructuredText(body: string): boolean {
  const lines = body.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length > MAX_TEXT_LINES) return true;
  if (lines.some((l) => l.startsWith('# HELP ') || l.startsWith('# TYPE '))) return true;
  if (lines.length < 2) return false;
  // `key: value` or `key = value` on every line (keys may have spaces: `Active connections: 2`).
  // Comments of robots.txt, config and metrics files do not make them prose.
  const content = lines.filter((l) => !l.startsWith('#') && !l.startsWith('//'));
  const keyed = content.filter((l) => /^[^:=.!?]{1,60}[:=]/.test(l) || /^\[[+-]\]/.test(l)).length;
  if (content.length > 0 && content.length < lines.length && keyed === content.length) return true;
  const tabular = lines.filter((l) => l.includes(',') || l.includes('\t') || l.includes(';') || l.includes('|')).length;
  // Changelogs and lists: bulleted or numbered lines.
  const listed = lines.filter((l) => /^(?:[-*\u2022]\s|\d+[.)]\s)/.test(l)).length;
  return keyed === lines.length || (lines.length >= 3 && tabular === lines.length) || listed >= 2;
}

function fromHtml(head: string, lower: string, title: string | undefined, h1: string | undefined): OperatorPageMatch | undefined {
  // Most pages name no outage anywhere, not even in a refresh: nothing to extract.
  if (!mayHoldPhrase(lower) && !lower.includes('refresh')) return undefined;
  const visible = readVisibleHtml(head, lower, HTML_PAGE_MAX_CHARS);
  if (visible.overLimit || visible.nav || visible.links > MAX_LINKS || visible.structure > MAX_STRUCTURE) return undefined;
  const text = normaliseText(visible.text);
  const shared = { textLength: text.length, links: visible.links };
  // A status page or a paragraph about errors names outages without being one, whatever its title says.
  if (reportsOnOutages(text)) return undefined;
  const bodyHits = findPhrases(text);
  const refreshes = visible.refresh !== undefined;

  // On a page with a form, a heading or a short line is a label ("Gateway timeout [30] Save"); only a sentence is a notice.
  const notice = (said: string): boolean => visible.controls === 0 || said.split(' ').length >= NOTICE_MIN_WORDS;
  for (const [place, heading] of [['html title', title], ['html h1', h1]] as const) {
    if (heading === undefined || heading.length > MAX_HEADING_CHARS || !notice(heading)) continue;
    const normalised = normaliseText(heading);
    if (ARTICLE_START.test(normalised) || normalised.endsWith('?')) continue;
    const hits = findPhrases(normalised);
    const strong = hits.find((h) => h.weight === 'strong');
    if (strong) return { phrase: strong.phrase, place, text: clip(heading), ...shared };
    // "Scheduled maintenance" as the title of a stub that refreshes itself, or says more in its text.
    const weak = hits[0];
    if (weak && text.length <= TEXT_PAGE_MAX_CHARS && (refreshes || bodyHits.some((h) => h.weight === 'strong'))) {
      return { phrase: weak.phrase, place, text: clip(heading), ...shared };
    }
  }

  if (text.length > TEXT_PAGE_MAX_CHARS) return undefined;
  if (/\bhow to\b/.test(text.slice(0, PHRASE_MAX_OFFSET))) return undefined;
  const hit = decisive(bodyHits, text) ?? (refreshes ? bodyHits.find((h) => h.at <= PHRASE_MAX_OFFSET) : undefined);
  const sentence = hit ? sentenceAt(visible.text, text, hit.at) : '';
  if (hit && notice(sentence)) return { phrase: hit.phrase, place: 'html body', text: clip(sentence), ...shared };
  if (visible.refresh !== undefined && REFRESH_OUTAGE.test(visible.refresh.toLowerCase()) && text.length <= TINY_TEXT_CHARS * 2) {
    return { phrase: `refresh to ${clip(visible.refresh)}`, place: 'html meta refresh', text: clip(visible.text), ...shared };
  }
  return undefined;
}

/**
 * A JSON stub: a small object of envelope fields (`status`, `code`, `timestamp`…) whose message
 * field says it; one level of `{"error": {"message": …}}` is read too. Any other field is data,
 * and an object with data is an API answering, whatever its message says.
 */
function fromJson(object: JsonObject): OperatorPageMatch | undefined {
  const keys = Object.keys(object);
  if (keys.length === 0 || keys.length > MAX_JSON_FIELDS) return undefined;
  const messages: Array<readonly [string, string]> = [];
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (!ENVELOPE_KEYS.has(lower)) return undefined;
    const value = object[key];
    if (typeof value === 'string') {
      if (MESSAGE_KEY_SET.has(lower) && value.length <= MAX_JSON_STRING_CHARS) messages.push([`$.${key}`, value]);
    } else if (isJsonObject(value)) {
      if (lower !== 'error' || !nestedMessages(value, `$.${key}`, messages)) return undefined;
    } else if (value !== null && typeof value !== 'number' && typeof value !== 'boolean') {
      return undefined;
    }
  }
  if (messages.length === 0) return undefined;
  const all = messages.map(([path, value]) => ({ path, value, normalised: normaliseText(value) }));
  const anyStrong = all.some((m) => findPhrases(m.normalised).some((h) => h.weight === 'strong'));
  for (const message of all) {
    const hits = findPhrases(message.normalised);
    const hit = hits.find((h) => h.weight === 'strong') ?? (anyStrong ? undefined : decisive(hits, message.normalised));
    if (hit) {
      return { phrase: hit.phrase, place: `json ${message.path}`, text: clip(message.value), textLength: message.value.length, fields: keys.length };
    }
  }
  return undefined;
}

function nestedMessages(object: JsonObject, path: string, messages: Array<readonly [string, string]>): boolean {
  const keys = Object.keys(object);
  if (keys.length > MAX_JSON_FIELDS) return false;
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (!ENVELOPE_KEYS.has(lower)) return false;
    const value = object[key];
    if (typeof value === 'string') {
      if (MESSAGE_KEY_SET.has(lower) && value.length <= MAX_JSON_STRING_CHARS) messages.push([`${path}.${key}`, value]);
    } else if (value !== null && typeof value !== 'number' && typeof value !== 'boolean') {
      return false;
    }
  }
  return true;
}

/**
 * The phrase that decides a short text: a strong one near its start, or a weak one ("please try
 * again later") that is nearly all of a tiny text speaking of the server.
 */
function decisive(hits: readonly PhraseHit[], text: string): PhraseHit | undefined {
  const strong = hits.find((h) => h.weight === 'strong' && h.at <= PHRASE_MAX_OFFSET);
  if (strong) return strong;
  const weak = hits.find((h) => h.at <= PHRASE_MAX_OFFSET);
  if (!weak || text.length > TINY_TEXT_CHARS) return undefined;
  // Two of them ("too busy, please try again later"), or one beside words about the server.
  if (hits.some((h) => h.phrase !== weak.phrase)) return weak;
  const rest = text.slice(0, weak.at) + text.slice(weak.at + weak.phrase.length);
  return speaksOfOutage(rest) ? weak : undefined;
}

/** The sentence of the visible text around an offset of its normalised form (same length: both collapsed). */
function sentenceAt(original: string, normalised: string, at: number): string {
  const before = Math.max(normalised.lastIndexOf('. ', at), normalised.lastIndexOf('! ', at));
  const start = before < 0 ? 0 : before + 2;
  const ends = ['. ', '! ', '? '].map((s) => normalised.indexOf(s, at)).filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) + 1 : normalised.length;
  return original.slice(start, end).trim();
}

function firstChar(body: string): string {
  for (let i = 0; i < body.length && i < 1024; i++) {
    const char = body[i];
    if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t' && char !== '\uFEFF') return char ?? '';
  }
  return '';
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text;
}
