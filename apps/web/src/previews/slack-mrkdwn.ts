/**
 * Slack's `mrkdwn` read into a tree the dashboard draws with elements and text nodes, never with
 * `innerHTML`: a message's text comes from monitors' names and receivers' answers, so nothing in it
 * may become markup. Only what Slack itself formats is formatted: `*bold*`, `_italic_`, `~strike~`,
 * `` `code` ``, ```` ```preformatted``` ````, `<url|links>` (http, https and mailto only), mentions,
 * `:emoji:` shortcodes and line breaks; `&amp;`, `&lt;` and `&gt;` are decoded once, after the
 * markup is read, so an escaped `&lt;b&gt;` shows as the text `<b>`.
 */

/** One piece of a mrkdwn text. */
export type MrkdwnNode =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: MrkdwnNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'pre'; text: string }
  | { kind: 'link'; href: string; children: MrkdwnNode[] }
  | { kind: 'mention'; text: string }
  | { kind: 'emoji'; name: string; char: string }
  | { kind: 'break' };

/** The shortcodes Crosscheck's messages use, and a few common ones; an unknown one stays as typed. */
const EMOJI: Readonly<Record<string, string>> = {
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  information_source: 'ℹ️',
  rotating_light: '🚨',
  bell: '🔔',
  no_bell: '🔕',
  wrench: '🔧',
  construction: '🚧',
  hourglass: '⌛',
  eyes: '👀',
  fire: '🔥',
};

const MARKS: Readonly<Record<string, 'bold' | 'italic' | 'strike' | 'code'>> = { '*': 'bold', _: 'italic', '~': 'strike', '`': 'code' };

/** `&amp;`, `&lt;` and `&gt;`, the three entities Slack's text uses, decoded in one pass (`&amp;lt;` is `&lt;`). */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_all, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** The URL of a link when it is one a person may follow from the dashboard (http, https, mailto), else `null`. */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'mailto:' ? parsed.href : null;
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/** Text with its entities decoded and its known `:shortcodes:` as emoji. */
function textNodes(raw: string, emoji = true): MrkdwnNode[] {
  const text = decodeSlackEntities(raw);
  if (!emoji) return text === '' ? [] : [{ kind: 'text', text }];
  const nodes: MrkdwnNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/:([a-z0-9_+-]+):/g)) {
    const char = EMOJI[match[1]!];
    if (char === undefined) continue;
    if (match.index > last) nodes.push({ kind: 'text', text: text.slice(last, match.index) });
    nodes.push({ kind: 'emoji', name: match[1]!, char });
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push({ kind: 'text', text: text.slice(last) });
  return nodes;
}

/** What `<…>` holds: a link, a mention of a user, a channel or a group, or a special one (`!here`). */
function angleNodes(inner: string): MrkdwnNode[] {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : inner.slice(bar + 1);
  if (target.startsWith('!')) {
    // `<!here>`, `<!channel>`, `<!subteam^ID|@team>`, `<!date^…|fallback>`: the label when there is one.
    const name = target.slice(1).split('^')[0] ?? '';
    return [{ kind: 'mention', text: decodeSlackEntities(label ?? (name === 'date' ? target : `@${name}`)) }];
  }
  if (target.startsWith('@')) return [{ kind: 'mention', text: decodeSlackEntities(label !== null ? `@${label.replace(/^@/, '')}` : target) }];
  if (target.startsWith('#')) return [{ kind: 'mention', text: decodeSlackEntities(label !== null ? `#${label.replace(/^#/, '')}` : target) }];
  const url = decodeSlackEntities(target);
  const href = safeHref(url);
  const children = textNodes(label ?? target);
  return href === null ? children : [{ kind: 'link', href, children }];
}

/** Where the mark opened at `start` closes on the same line, or -1. */
function closingMark(text: string, start: number, mark: string): number {
  for (let j = start + 2; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\n') return -1;
    if (ch === mark && !isSpace(text[j - 1]) && text[j - 1] !== '\u200b' && !isWordChar(text[j + 1])) return j;
  }
  return -1;
}

function inlineNodes(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let buffer = '';
  const flush = (): void => {
    if (buffer !== '') nodes.push(...textNodes(buffer));
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      flush();
      nodes.push({ kind: 'break' });
      i += 1;
      continue;
    }
    if (ch === '<') {
      const end = text.indexOf('>', i + 1);
      const inner = end === -1 ? '' : text.slice(i + 1, end);
      if (end !== -1 && inner !== '' && !inner.includes('\n') && !inner.includes('<')) {
        flush();
        nodes.push(...angleNodes(inner));
        i = end + 1;
        continue;
      }
    }
    const mark = MARKS[ch];
    // A mark opens after a space or punctuation (not after a word, not after the zero-width space
    // senders put before marks that must stay marks), before a non-space.
    if (mark !== undefined && !isWordChar(text[i - 1]) && text[i - 1] !== '\u200b' && text[i + 1] !== undefined && !isSpace(text[i + 1]) && text[i + 1] !== ch) {
      const end = closingMark(text, i, ch);
      if (end !== -1) {
        flush();
        const inner = text.slice(i + 1, end);
        nodes.push(mark === 'code' ? { kind: 'code', text: decodeSlackEntities(inner) } : { kind: mark, children: inlineNodes(inner) });
        i = end + 1;
        continue;
      }
    }
    buffer += ch;
    i += 1;
  }
  flush();
  return nodes;
}

/** A `mrkdwn` text object's text as a tree. */
export function parseMrkdwn(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/```([\s\S]*?)```/g)) {
    nodes.push(...inlineNodes(text.slice(last, match.index)));
    nodes.push({ kind: 'pre', text: decodeSlackEntities(match[1]!.replace(/^\n/, '')) });
    last = match.index + match[0].length;
  }
  nodes.push(...inlineNodes(text.slice(last)));
  return nodes;
}

/**
 * A `plain_text` object's text: shown as it is (Slack does not read entities or marks in it), with
 * `:shortcodes:` as emoji when `emoji` is on (its default), and its line breaks.
 */
export function parsePlainText(text: string, emoji = true): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  text.split('\n').forEach((line, index) => {
    if (index > 0) nodes.push({ kind: 'break' });
    if (line === '') return;
    if (!emoji) {
      nodes.push({ kind: 'text', text: line });
      return;
    }
    // textNodes decodes entities, which plain text keeps: escape the ampersands first so they survive.
    nodes.push(...textNodes(line.replace(/&/g, '&amp;')));
  });
  return nodes;
}

/** The words of a tree, as a screen reader or a fallback would read them. */
export function mrkdwnWords(nodes: readonly MrkdwnNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'code':
        case 'pre':
        case 'mention':
          return node.text;
        case 'emoji':
          return node.char;
        case 'break':
          return '\n';
        default:
          return mrkdwnWords(node.children);
      }
    })
    .join('');
}
