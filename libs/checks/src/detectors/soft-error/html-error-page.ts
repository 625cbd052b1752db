import { textOf, type HtmlPage } from './html-page';

/** An HTML error page recognised in a response that claimed success. */
export interface HtmlErrorMatch {
  /** Where it was seen: the `<title>`, the first `<h1>`, or a framework's banner in the body. */
  matched: 'html title' | 'html h1' | 'html body';
  /** What produced the page, as far as it says: `heroku`, `rails`, `php`, `maintenance`, or `error-title` for a generic one. */
  page: string;
  /** The text that matched, up to 200 characters. */
  text: string;
}

const MAX_TEXT_CHARS = 200;

/**
 * Error titles, compared with the whole normalised title (lower case, straight apostrophes,
 * trailing `.`/`!` dropped): "How to fix a 404 Not Found error" is an article, not an error page.
 */
const PHRASE_PAGES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['heroku', ['application error']],
  ['spring-whitelabel', ['whitelabel error page']],
  ['aspnet', ['runtime error', 'the resource cannot be found']],
  ['maintenance', [
    // Not `maintenance mode`: the name of a feature as often as a state ("Maintenance mode - Admin guide").
    'site maintenance', 'down for maintenance', 'under maintenance', 'scheduled maintenance', 'maintenance',
    "we'll be back soon", 'we will be back soon', "we'll be right back", 'temporarily down for maintenance',
  ]],
  ['error-title', [
    'internal server error', 'server error', 'internal error', 'not found', 'page not found', 'file not found',
    'file or directory not found', 'service unavailable', 'service temporarily unavailable', 'temporarily unavailable',
    'the service is unavailable', 'bad gateway', 'gateway timeout', 'gateway time-out', 'bad request', 'forbidden',
    'unauthorized', 'too many requests', 'error', 'an error occurred', 'an error has occurred',
    'an unexpected error has occurred', 'an unexpected error occurred', 'unexpected error', 'something went wrong',
    'oops', 'oops! something went wrong', 'oops, something went wrong', 'whoops', 'whoops, looks like something went wrong',
    'page unavailable',
  ]],
];

/** Phrases too common as words to trust inside a longer title (`Error - Wikipedia` is an article). */
const GENERIC_PHRASES: ReadonlySet<string> = new Set([
  'error', 'oops', 'whoops', 'forbidden', 'unauthorized', 'maintenance', 'not found', 'server error', 'internal error',
  'runtime error', 'bad request', 'unexpected error',
]);

const PAGE_OF_PHRASE: ReadonlyMap<string, string> = new Map(PHRASE_PAGES.flatMap(([page, phrases]) => phrases.map((p) => [p, page] as const)));

/**
 * `[HTTP] [Error|Status] [4xx|5xx][sep] [phrase] [(4xx|5xx)]`: "404 Not Found", "Error 503",
 * "HTTP Error 503. The service is unavailable", "Server Error (500)", "500: Internal Server Error".
 */
const TITLE = new RegExp(
  `^(?:http\\s+(?:error\\s+|status\\s+)?|error\\s+|status\\s+)?(?:([45]\\d\\d)\\s*(?:[-:.|\u2013\u2014]\\s*)?)?` +
    `(${[...PAGE_OF_PHRASE.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})?` +
    `(?:\\s*[([]?([45]\\d\\d)[)\\]]?)?$`,
);

/** Title beginnings of framework pages whose titles carry the exception or path after them. */
const TITLE_PREFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^we're sorry, but something went wrong/, 'rails'],
  [/^server error in '[^']*' application/, 'aspnet'],
  [/^http status [45]\d\d\b/, 'tomcat'],
  [/^apache tomcat\/[\d.]+ - error report$/, 'tomcat'],
  [/ \/\/ werkzeug debugger$/, 'werkzeug'],
];

/** Separators between a page's own title and the site's name: "Page not found – Acme". */
const TITLE_SEPARATOR = /\s+[|\u2013\u2014\u00B7\u00BB:-]\s+/;

/**
 * Recognises an error page: by its `<title>`, else its first `<h1>`, else a framework's banner
 * in the body (PHP's fatal error, Express's `Cannot GET`, the Werkzeug and Django debuggers).
 * Banners are checked first: they name the framework, where a title only says "Error".
 */
export function findHtmlErrorPage(page: HtmlPage): HtmlErrorMatch | undefined {
  const banner = findBanner(page);
  if (banner) return banner;
  if (page.title !== undefined) {
    const kind = errorTitleKind(page.title, 'title');
    if (kind) return { matched: 'html title', page: kind, text: clip(page.title) };
  }
  // A heading over a settings form ("Gateway timeout [30] Save") labels a field; an error page has no form to fill.
  if (page.h1 !== undefined && !hasSettingsForm(page.lower)) {
    const kind = errorTitleKind(page.h1, 'h1');
    if (kind) return { matched: 'html h1', page: kind, text: clip(page.h1) };
  }
  return undefined;
}

/**
 * What kind of error page a title or heading names, or `undefined` when it is not an error
 * title. A title may carry the site's name (`Page not found – Acme`); a heading may not, and a
 * heading that is a bare generic word (MDN's reference page for `Error`) does not count.
 */
export function errorTitleKind(text: string, element: 'title' | 'h1'): string | undefined {
  const normalised = normalise(text);
  for (const [prefix, kind] of TITLE_PREFIXES) if (prefix.test(normalised)) return kind;
  const whole = wholeTitleKind(normalised, element === 'title');
  if (whole || element === 'h1') return whole;
  const segments = normalised.split(TITLE_SEPARATOR);
  if (segments.length < 2) return undefined;
  return wholeTitleKind(segments[0] ?? '', false) ?? wholeTitleKind(segments[segments.length - 1] ?? '', false);
}

function wholeTitleKind(normalised: string, allowGeneric: boolean): string | undefined {
  if (normalised.length > 120) return undefined;
  const match = TITLE.exec(normalised);
  if (!match) return undefined;
  const [, leadingCode, phrase, trailingCode] = match;
  if (phrase === undefined) return leadingCode !== undefined || trailingCode !== undefined ? 'error-title' : undefined;
  // A bare generic word inside a longer title needs a status code beside it to count.
  if (!allowGeneric && GENERIC_PHRASES.has(phrase) && leadingCode === undefined && trailingCode === undefined) return undefined;
  return PAGE_OF_PHRASE.get(phrase);
}

/** A form with a field that is neither hidden nor a search box (error pages offer search at most). */
function hasSettingsForm(lower: string): boolean {
  for (let at = lower.indexOf('<input'); at >= 0; at = lower.indexOf('<input', at + 6)) {
    const end = lower.indexOf('>', at);
    const tag = lower.slice(at, end < 0 ? at + 200 : end);
    if (!/type\s*=\s*["']?(?:hidden|search|submit)/.test(tag) && !/name\s*=\s*["']?(?:q|s|query|search)["'\s>]/.test(tag)) return true;
  }
  return false;
}

const PHP_FATAL = ['<b>fatal error</b>:', '<b>parse error</b>:'];
const EXPRESS_CANNOT = /<pre>(cannot (?:get|post|put|patch|delete|head|options) [^<]{0,300})<\/pre>/;

/** Framework banners that only ever appear on a failed request, each gated by a cheap search. */
function findBanner(page: HtmlPage): HtmlErrorMatch | undefined {
  const { head, lower } = page;
  for (const marker of PHP_FATAL) {
    const at = lower.indexOf(marker);
    const line = at < 0 ? -1 : lower.indexOf('on line <b>', at);
    // PHP's own markup (`<b>Fatal error</b>: … on line <b>12</b>`), not a tutorial quoting it escaped.
    if (line > at && line - at < 3000) {
      return { matched: 'html body', page: 'php', text: clip(textOf(head.slice(at, at + 600))) };
    }
  }
  if (lower.includes('<pre>cannot ')) {
    const express = EXPRESS_CANNOT.exec(lower);
    if (express) {
      const at = express.index + '<pre>'.length;
      return { matched: 'html body', page: 'express', text: clip(head.slice(at, at + (express[1]?.length ?? 0))) };
    }
  }
  if (lower.includes('__debugger__') && lower.includes('traceback (most recent call last)')) {
    return { matched: 'html body', page: 'werkzeug', text: clip(page.title ?? 'Werkzeug debugger traceback') };
  }
  if (lower.includes('django version:') && lower.includes('exception value:')) {
    return { matched: 'html body', page: 'django-debug', text: clip(page.title ?? 'Django debug page') };
  }
  return undefined;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!]+$/, '');
}

function clip(text: string): string {
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
