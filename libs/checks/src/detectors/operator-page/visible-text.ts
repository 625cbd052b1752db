import { decodeEntities } from '../soft-error/html-page';

/** What a reader of an HTML page sees, and how much page there is around it. */
export interface VisibleHtml {
  /** Text outside scripts, styles, templates, `<title>`, hidden elements and comments; entities decoded, whitespace collapsed. */
  text: string;
  /** Whether the page has more text than {@link VisibleHtml.text} holds (the scan stopped at the limit). */
  overLimit: boolean;
  /** `<a href>` elements seen. */
  links: number;
  /** Whether the page has a `<nav>` element: a site, not a stub. */
  nav: boolean;
  /** Form controls (`<input>` other than hidden, `<select>`, `<textarea>`, `<button>`): a page to use, whose labels are not notices. */
  controls: number;
  /** List items and sub-headings (`<li>`, `<h2>`–`<h6>`, `<dt>`): a document's structure, which a stub does not have. */
  structure: number;
  /** The URL of a `<meta http-equiv="refresh">`, `''` when it has none but refreshes, `undefined` without one. */
  refresh: string | undefined;
}

/** Elements whose content no reader sees as text. */
const SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'svg', 'title', 'iframe', 'object', 'textarea', 'select', 'canvas']);
/** Runs of whitespace, and single whitespace other than a space: most spaces are left alone, which is faster than `\s+`. */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;
const CONTROLS = new Set(['input', 'select', 'textarea', 'button']);
const STRUCTURE = new Set(['li', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt']);
/** Void elements: never closed, so never skipped to a closing tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const HIDDEN =
  /\shidden(?:[\s=>/]|$)|display\s*:\s*none|visibility\s*:\s*hidden|aria-hidden\s*=\s*["']?true|class\s*=\s*["'][^"']*\b(?:hidden|d-none|is-hidden|invisible)\b/;

/**
 * Reads the visible text of an HTML page with index searches (no backtracking on hostile input),
 * stopping once it has more than `limit` characters of raw text: a page with more to say is not
 * an operator's stub, and the scan costs no more than the stub would.
 */
export function readVisibleHtml(head: string, lower: string, limit: number): VisibleHtml {
  const parts: string[] = [];
  let raw = 0;
  let links = 0;
  let nav = false;
  let structure = 0;
  let controls = 0;
  let refresh: string | undefined;
  let at = 0;
  let overLimit = false;

  while (at < lower.length) {
    const open = lower.indexOf('<', at);
    const end = open < 0 ? lower.length : open;
    if (end > at) {
      const piece = head.slice(at, end);
      parts.push(piece);
      raw += piece.trim().length;
      if (raw > limit) {
        overLimit = true;
        break;
      }
    }
    if (open < 0) break;
    if (lower.startsWith('<!--', open)) {
      const close = lower.indexOf('-->', open + 4);
      at = close < 0 ? lower.length : close + 3;
      continue;
    }
    const close = lower.indexOf('>', open);
    if (close < 0) break;
    const tag = lower.slice(open + 1, close);
    at = close + 1;
    if (tag.startsWith('/') || tag.startsWith('!') || tag.startsWith('?')) {
      parts.push(' ');
      continue;
    }
    const name = tagName(tag);
    if (name === '') continue;
    if (name === 'a' && tag.includes('href')) links++;
    else if (name === 'nav') nav = true;
    else if (STRUCTURE.has(name)) structure++;
    else if (CONTROLS.has(name) && !(name === 'input' && /type\s*=\s*["']?hidden/.test(tag))) controls++;
    else if (name === 'meta' && refresh === undefined && tag.includes('http-equiv') && tag.includes('refresh')) refresh = refreshUrl(tag);
    if (VOID.has(name) || tag.endsWith('/')) {
      parts.push(' ');
      continue;
    }
    if (SKIPPED.has(name) || (mayHide(tag) && HIDDEN.test(tag))) {
      at = skipElement(lower, name, at);
      parts.push(' ');
      continue;
    }
    parts.push(' ');
  }
  // A page past the limit is no stub: its text is never read.
  if (overLimit) return { text: '', overLimit, links, nav, structure, controls, refresh };
  const joined = parts.join('');
  // Tags became spaces; phrases are compared on collapsed text anyway.
  const text = (joined.includes('&') ? decodeEntities(joined) : joined).replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
  return { text, overLimit, links, nav, structure, controls, refresh };
}

/** A cheap test before the expression: most tags hide nothing. */
function mayHide(tag: string): boolean {
  return tag.includes('hidden') || tag.includes('none') || tag.includes('invisible');
}

function tagName(tag: string): string {
  let end = 0;
  while (end < tag.length) {
    const c = tag.charCodeAt(end);
    const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
    if (!letter) break;
    end++;
  }
  return tag.slice(0, end);
}

/** The offset after the element opened just before `from` closes, counting nested elements of the same name. */
function skipElement(lower: string, name: string, from: number): number {
  let depth = 1;
  let at = from;
  while (depth > 0) {
    const close = lower.indexOf(`</${name}`, at);
    if (close < 0) return lower.length;
    // Scripts and styles do not nest; other elements may.
    if (name !== 'script' && name !== 'style') {
      let open = lower.indexOf(`<${name}`, at);
      while (open >= 0 && open < close) {
        if (isBoundary(lower.charAt(open + name.length + 1))) depth++;
        open = lower.indexOf(`<${name}`, open + 1);
      }
    }
    depth--;
    const end = lower.indexOf('>', close);
    at = end < 0 ? lower.length : end + 1;
  }
  return at;
}

function isBoundary(char: string): boolean {
  return char === '>' || char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '/';
}

/** `content="30; url=/maintenance.html"` -> `/maintenance.html`; `content="30"` -> `''`. */
function refreshUrl(tag: string): string {
  const content = /content\s*=\s*["']?([^"'>]*)/.exec(tag)?.[1] ?? '';
  const url = /url\s*=\s*(.*)$/.exec(content)?.[1] ?? '';
  return url.trim();
}
