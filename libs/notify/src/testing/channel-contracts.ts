/**
 * Each channel's published contract as a checker: every violation found, as a line a failing test
 * prints. Written from the vendors' documentation (PagerDuty Events API v2, Slack Block Kit
 * reference, Adaptive Cards schema and Teams' limits, RFC 5322), independently of the builders.
 */
import type { EmailMessage } from '../channels/email/email-message';
import type { PagerDutyEvent } from '../channels/pagerduty/pagerduty-event';
import type { SlackMessage, SlackText } from '../channels/slack/slack-message';
import type { TeamsMessage } from '../channels/teams/teams-message';

function loneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** PagerDuty Events API v2: required fields, enums and lengths. */
export function pagerDutyViolations(event: PagerDutyEvent): string[] {
  const out: string[] = [];
  if (typeof event.routing_key !== 'string' || event.routing_key === '') out.push('routing_key missing');
  if (!['trigger', 'acknowledge', 'resolve'].includes(event.event_action)) out.push(`event_action ${event.event_action}`);
  if (event.dedup_key.length > 255) out.push(`dedup_key ${event.dedup_key.length} > 255`);
  if (event.event_action === 'trigger') {
    const p = event.payload;
    if (!p) out.push('trigger without payload');
    else {
      if (p.summary === '' || p.summary.length > 1024) out.push(`summary length ${p.summary.length}`);
      if (p.source === '') out.push('source empty');
      if (!['critical', 'error', 'warning', 'info'].includes(p.severity)) out.push(`severity ${p.severity}`);
      if (Number.isNaN(Date.parse(p.timestamp))) out.push('timestamp not ISO 8601');
    }
  }
  for (const link of event.links ?? []) if (!/^https?:\/\//.test(link.href)) out.push(`link ${link.href}`);
  const bytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
  if (bytes > 512 * 1024) out.push(`event ${bytes} bytes > 512 KB`);
  if (strings(event).some(loneSurrogate)) out.push('lone surrogate');
  return out;
}

/** Raw `<`, `>` or a `&` that starts no entity in mrkdwn: what Slack requires escaped. */
function unescapedMrkdwn(text: string, allowLinks: boolean): boolean {
  const stripped = allowLinks ? text.replace(/<https?:\/\/[^|<>\s]+\|[^<>]+>/g, '') : text;
  return /[<>]/.test(stripped) || /&(?!amp;|lt;|gt;)/.test(stripped);
}

/** Slack Block Kit: block count, text lengths per block type, field counts, escaping of mrkdwn. */
export function slackViolations(message: SlackMessage): string[] {
  const out: string[] = [];
  if (message.text === '' || message.text.length > 40_000) out.push(`text length ${message.text.length}`);
  if (unescapedMrkdwn(message.text, false)) out.push('text has unescaped & < >');
  if (message.blocks.length > 50) out.push(`${message.blocks.length} blocks > 50`);
  const checkText = (t: SlackText, max: number, where: string) => {
    if (t.text === '' || t.text.length > max) out.push(`${where} text length ${t.text.length} (max ${max})`);
    if (t.type === 'mrkdwn' && unescapedMrkdwn(t.text, true)) out.push(`${where} has unescaped & < >: ${t.text.slice(0, 80)}`);
  };
  message.blocks.forEach((block, i) => {
    const where = `block ${i} (${block.type})`;
    switch (block.type) {
      case 'header':
        if (block.text.type !== 'plain_text') out.push(`${where} not plain_text`);
        checkText(block.text, 150, where);
        break;
      case 'section':
        if (!block.text && !block.fields) out.push(`${where} has neither text nor fields`);
        if (block.text) checkText(block.text, 3000, where);
        if (block.fields) {
          if (block.fields.length > 10) out.push(`${where} ${block.fields.length} fields > 10`);
          block.fields.forEach((f, j) => checkText(f, 2000, `${where} field ${j}`));
        }
        break;
      case 'context':
        if (block.elements.length === 0 || block.elements.length > 10) out.push(`${where} ${block.elements.length} elements`);
        block.elements.forEach((e, j) => checkText(e, 3000, `${where} element ${j}`));
        break;
      case 'actions':
        if (block.elements.length > 25) out.push(`${where} ${block.elements.length} elements > 25`);
        for (const b of block.elements) {
          if (b.text.text.length > 75) out.push(`${where} button text ${b.text.text.length}`);
          if (b.url.length > 3000) out.push(`${where} button url ${b.url.length}`);
          if (b.action_id.length > 255) out.push(`${where} action_id`);
        }
        break;
      case 'divider':
        break;
    }
  });
  if (strings(message).some(loneSurrogate)) out.push('lone surrogate');
  return out;
}

/** A Teams Workflows message with an Adaptive Card: the envelope, the schema and version, the element types used, 28 KB. */
export function teamsViolations(message: TeamsMessage): string[] {
  const out: string[] = [];
  if (message.type !== 'message') out.push('type is not message');
  if (message.attachments.length !== 1) out.push(`${message.attachments.length} attachments`);
  for (const a of message.attachments) {
    if (a.contentType !== 'application/vnd.microsoft.card.adaptive') out.push(`contentType ${a.contentType}`);
    const card = a.content;
    if (card.type !== 'AdaptiveCard') out.push(`card type ${card.type}`);
    if (card.$schema !== 'http://adaptivecards.io/schemas/adaptive-card.json') out.push('$schema');
    const [major, minor] = card.version.split('.').map(Number);
    if (major !== 1 || minor === undefined || minor > 5) out.push(`version ${card.version} > 1.5`);
    if ('@type' in card || 'sections' in card) out.push('MessageCard fields');
    for (const e of card.body) {
      if (e.type === 'TextBlock' && e.text === '') out.push('empty TextBlock');
      if (e.type === 'FactSet' && e.facts.some((f) => f.title === '' || f.value === '')) out.push('empty fact');
    }
    for (const action of card.actions ?? []) if (action.type !== 'Action.OpenUrl' || !/^https?:\/\//.test(action.url)) out.push(`action ${action.type} ${action.url}`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(message), 'utf8');
  if (bytes > 28 * 1024) out.push(`message ${bytes} bytes > 28 KB`);
  if (strings(message).some(loneSurrogate)) out.push('lone surrogate');
  return out;
}

/** The HTML's text with the renderer's own tags removed: what is left must hold no `<` or `>` (and no raw `&`). */
function htmlTextLeaks(html: string): boolean {
  const own = html.replace(/<!doctype html>|<\/?(?:html|body|h2|p|strong|ul|li|table|tr|th|td|br)(?: [a-z-]+="[^"<>]*")*>|<a href="[^"<>]*">|<\/a>/gi, '');
  return /[<>]/.test(own) || /&(?!amp;|lt;|gt;|quot;|#39;)/.test(own);
}

/** An email: one-line subject, Message-ID syntax (RFC 5322 msg-id), HTML escaped. */
export function emailViolations(message: EmailMessage): string[] {
  const out: string[] = [];
  if (/[\r\n]/.test(message.subject)) out.push('subject has a line break');
  if (message.subject.length > 998) out.push('subject longer than a header line');
  const msgId = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9.-]+>$/;
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined && !msgId.test(value)) out.push(`${name} is not a msg-id: ${value}`);
  }
  if (htmlTextLeaks(message.html)) out.push('html has unescaped text');
  if (message.text.trim() === '') out.push('empty text');
  return out;
}
