import type { ResponseFacts } from '../../observation/observation';

/** How much of an HTML body detectors read: titles, headings and framework banners sit at the top. */
export const HTML_SCAN_CHARS = 64 * 1024;
/** A title or heading longer than this is prose, not an error banner. */
const MAX_HEADING_CHARS = 1000;

/** The top of an HTML page, read once and shared by every detector that looks at HTML. */
export interface HtmlPage {
  /** The first {@link HTML_SCAN_CHARS} characters of the body. */
  head: string;
  /** `head` in lower case, for case-insensitive searches without regular expressions. */
  lower: string;
  /** Text of the first `<title>`, entities decoded and whitespace collapsed; `undefined` when absent. */
  title: string | undefined;
  /** Text of the first `<h1>`, tags stripped, entities decoded, whitespace collapsed. */
  h1: string | undefined;
}

// Several detectors read the same response; the page is extracted once per response object.
const pages = new WeakMap<ResponseFacts, HtmlPage | null>();

/**
 * The top of the body as an HTML page, or `undefined` when the response is not HTML (by media
 * type, or by sniffing an untyped or text/plain body that starts with markup).
 */
export function readHtmlPage(response: ResponseFacts, mediaType: string): HtmlPage | undefined {
  const cached = pages.get(response);
  if (cached !== undefined) return cached ?? undefined;
  const page = extractPage(response.body, mediaType);
  pages.set(response, page ?? null);
  return page;
}

function extractPage(body: string, mediaType: string): HtmlPage | undefined {
  if (body === '') return undefined;
  const head = body.length > HTML_SCAN_CHARS ? body.slice(0, HTML_SCAN_CHARS) : body;
  const lower = head.toLowerCase();
  if (!isHtml(mediaType, lower)) return undefined;
  return { head, lower, title: elementText(head, lower, 'title'), h1: elementText(head, lower, 'h1') };
}

const SNIFFED_TYPES: ReadonlySet<string> = new Set(['', 'text/plain', 'application/octet-stream']);

function isHtml(mediaType: string, lower: string): boolean {
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return true;
  if (!SNIFFED_TYPES.has(mediaType)) return false;
  const start = lower.trimStart();
  return start.startsWith('<') && (start.startsWith('<!doctype html') || start.startsWith('<html') || lower.includes('<title') || lower.includes('<body'));
}

/** Text of the first `<name>` element, found with index searches (no backtracking on hostile input). */
function elementText(head: string, lower: string, name: string): string | undefined {
  let open = lower.indexOf(`<${name}`);
  // Skip `<h1x>`-like prefixes of other tag names (`<title` vs `<titlebar>`), and markup no one
  // sees: a `<template>` or a script's string (`innerHTML = '<h1>Service unavailable</h1>'`).
  while (open >= 0 && (!isTagBoundary(lower.charAt(open + name.length + 1)) || insideUnrendered(lower, open))) {
    open = lower.indexOf(`<${name}`, open + 1);
  }
  if (open < 0) return undefined;
  const start = lower.indexOf('>', open);
  if (start < 0) return undefined;
  const end = lower.indexOf(`</${name}`, start);
  if (end < 0 || end - start > MAX_HEADING_CHARS) return undefined;
  const text = textOf(head.slice(start + 1, end));
  return text === '' ? undefined : text;
}

/** The readable text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  // Tags become spaces so `<br>`-separated words stay apart; a space left before punctuation (`<b>Fatal error</b>:`) goes.
  return collapse(decodeEntities(html.replace(TAG, ' '))).replace(SPACE_BEFORE_PUNCTUATION, '$1');
}

/** Whether an offset is inside a `<template>` or `<script>` element (the last one opened before it is not closed yet). */
function insideUnrendered(lower: string, at: number): boolean {
  for (const name of ['template', 'script']) {
    const opened = lower.lastIndexOf(`<${name}`, at);
    if (opened >= 0 && opened > lower.lastIndexOf(`</${name}`, at)) return true;
  }
  return false;
}

function isTagBoundary(char: string): boolean {
  return char === '>' || char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '/';
}

const TAG = /<[^>]*>/g;
const SPACE_BEFORE_PUNCTUATION = / ([:;,.!?)])/g;
const WHITESPACE = /\s+/g;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '\u2019', lsquo: '\u2018', rdquo: '\u201D',
  ldquo: '\u201C', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026', laquo: '\u00AB', raquo: '\u00BB', middot: '\u00B7',
  lsaquo: '\u2039', rsaquo: '\u203A',
};

/** `&amp;` -> `&`, `&#8217;` -> `’`: the named entities pages use for punctuation, and every numeric one. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function collapse(text: string): string {
  return text.replace(WHITESPACE, ' ').trim();
}
