/**
 * `text` cut to at most `max` UTF-16 code units (what JavaScript's `length`, Slack and PagerDuty
 * count), with an ellipsis when cut. Never splits a surrogate pair: a cut emoji would be invalid
 * UTF-16, which some receivers reject outright.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** One line: every run of whitespace (newlines included) as one space, trimmed. For titles, subjects and headers. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `Masked outage` from `masked outage`. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
