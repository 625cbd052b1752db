import { cut } from '../../words/text-limits';

/**
 * Text for Slack's `mrkdwn` (and the message's `text`): `&`, `<` and `>` as the HTML entities Slack
 * requires (they would otherwise open links and mentions, `<!channel>` included), and `*`, `_`, `~`
 * and `` ` `` each behind a zero-width space, which keeps them from opening bold, italics, strikes or
 * code (Slack has no escape for them). Only for words that are not ours: monitor names, messages.
 */
export function slackMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[*_~`]/g, (c) => `\u200b${c}`);
}

/**
 * Escaped text cut to `max` characters after escaping, never through an entity: the raw text is cut
 * until its escaped form fits.
 */
export function fitMrkdwn(raw: string, max: number, escape: (text: string) => string = slackMrkdwn): string {
  let length = raw.length;
  let shown = escape(raw);
  while (shown.length > max && length > 0) {
    length = Math.max(0, length - Math.max(1, shown.length - max));
    shown = escape(cut(raw, length));
  }
  return shown;
}

/** A URL for a mrkdwn link `<url|label>`: the characters that would end the link or the label encoded. */
export function slackLinkUrl(url: string): string {
  return url.replace(/[|<>&\s]/g, (c) => encodeURIComponent(c));
}
