import { describeIncident } from '../../describe/describe-incident';
import type { IncidentDescription, RegionWords } from '../../describe/incident-description';
import type { NotifyEvent } from '../../events/notify-event';
import type { RenderOptions } from '../../links/dashboard-links';
import { regionFacts } from '../../words/region-facts';
import { cut } from '../../words/text-limits';
import { fitMrkdwn, slackLinkUrl, slackMrkdwn } from './slack-text';

/** Block Kit's published limits, as Slack enforces them (a message over any of them is refused). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  actionsElements: 25,
  /** `text` is cut by Slack at 40,000; as a notification's fallback it should be far shorter. */
  fallbackText: 3000,
} as const;

/** A Block Kit text object. */
export type SlackText = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };

/** The blocks the renderer uses. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: { type: 'plain_text'; text: string }; url: string; action_id: string }> };

/** The body of an incoming-webhook POST. */
export interface SlackMessage {
  /** The notification's fallback, shown where blocks are not (push notifications, screen readers). */
  text: string;
  blocks: SlackBlock[];
}

const ICON: Record<IncidentDescription['severity'], string> = {
  critical: ':red_circle:',
  major: ':large_orange_circle:',
  minor: ':large_yellow_circle:',
  warning: ':warning:',
  info: ':information_source:',
};

function mrkdwn(text: string): SlackText {
  return { type: 'mrkdwn', text };
}

function regionSection(region: RegionWords): SlackBlock {
  const facts = regionFacts(region).slice(0, SLACK_LIMITS.fields);
  return {
    type: 'section',
    text: mrkdwn(`*${fitMrkdwn(region.region, SLACK_LIMITS.sectionText - 2)}*`),
    fields: facts.map((fact) =>
      // Cause codes are ours ([a-z_]): as inline code they read as the identifiers they are.
      mrkdwn(`*${fact.label}*\n${fact.codes ? `\`${cut(fact.value, SLACK_LIMITS.fieldText - 20)}\`` : fitMrkdwn(fact.value, SLACK_LIMITS.fieldText - fact.label.length - 3)}`),
    ),
  };
}

function buttons(description: IncidentDescription): SlackBlock[] {
  const elements = [
    ...(description.links.incident ? [{ label: 'Open incident', url: description.links.incident, id: 'open_incident' }] : []),
    ...(description.links.monitor ? [{ label: 'Open monitor', url: description.links.monitor, id: 'open_monitor' }] : []),
  ].filter((link) => link.url.length <= SLACK_LIMITS.buttonUrl);
  if (elements.length === 0) return [];
  return [{ type: 'actions', elements: elements.map((link) => ({ type: 'button', text: { type: 'plain_text', text: link.label }, url: link.url, action_id: link.id })) }];
}

function fallback(description: IncidentDescription): string {
  return fitMrkdwn(description.summary, SLACK_LIMITS.fallbackText);
}

/**
 * The Slack message of a notification, for an incoming webhook: a header (the title), the reason in
 * words, when and how bad, one fields section per decisive region, the other regions in one section,
 * and buttons to the dashboard. A resolve (or a region restored, or a window ended) is a short
 * follow-up instead. Every limit of Block Kit holds whatever the event says: at most 50 blocks (the
 * regions past the budget are counted, not shown), every text cut after escaping.
 */
export function slackMessage(event: NotifyEvent, options: RenderOptions = {}): SlackMessage {
  const description = describeIncident(event, options);
  if (event.type === 'incident.resolved' || event.type === 'region.restored' || event.type === 'maintenance.ended') return followUp(description);

  const head: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(description.title, SLACK_LIMITS.headerText), emoji: true } },
    { type: 'section', text: mrkdwn(reasonText(description)) },
    {
      type: 'context',
      elements: [
        mrkdwn(`${ICON[description.severity]} *${description.severity}*`),
        ...(description.sinceWords ? [mrkdwn(`since ${description.sinceWords}`)] : []),
        ...(description.monitor ? [mrkdwn(fitMrkdwn(description.monitor.url, 500))] : []),
        ...(description.blindRegions.length > 0 ? [mrkdwn(fitMrkdwn(`blind: ${description.blindRegions.join(', ')}`, 500))] : []),
      ],
    },
  ];
  const tail = buttons(description);
  const decisive = description.regions.filter((r) => r.decisive);
  const others = description.regions.filter((r) => !r.decisive);
  // A block for the other regions, and one for the count of those left out when they do not all fit.
  const free = SLACK_LIMITS.blocks - head.length - tail.length - (others.length > 0 ? 1 : 0);
  const shown = decisive.slice(0, decisive.length <= free ? free : free - 1);
  const left = decisive.length - shown.length;
  const middle: SlackBlock[] = shown.map(regionSection);
  if (others.length > 0) {
    const lines = others.map((r) => `*${slackMrkdwn(r.region)}*: ${slackMrkdwn(r.words)}`);
    let text = '';
    let listed = 0;
    for (const line of lines) {
      const next = text === '' ? line : `${text}\n${line}`;
      if (next.length > SLACK_LIMITS.sectionText - 40) break;
      text = next;
      listed += 1;
    }
    if (listed < lines.length) text += `\n…and ${lines.length - listed} more`;
    middle.push({ type: 'section', text: mrkdwn(text) });
  }
  if (left > 0) middle.push({ type: 'context', elements: [mrkdwn(`…and ${left} more affected regions: see the incident in the dashboard`)] });
  return { text: fallback(description), blocks: [...head, ...middle, ...tail] };
}

/** The reason in words: the summary, which says the classification's meaning, where, since when and the decisive evidence. */
function reasonText(description: IncidentDescription): string {
  return fitMrkdwn(description.summary, SLACK_LIMITS.sectionText);
}

/** The short message of an ending: what ended, how long it lasted, a link. */
function followUp(description: IncidentDescription): SlackMessage {
  const link = description.links.incident ?? description.links.monitor;
  const icon = description.type === 'incident.resolved' ? ':white_check_mark:' : ':information_source:';
  const title = fitMrkdwn(description.title, 500);
  return {
    text: fallback(description),
    blocks: [
      { type: 'section', text: mrkdwn(`${icon} *${title}*\n${fitMrkdwn(description.summary, SLACK_LIMITS.sectionText - title.length - 40)}`) },
      ...(link && link.length <= SLACK_LIMITS.buttonUrl ? [{ type: 'context' as const, elements: [mrkdwn(`<${slackLinkUrl(link)}|Open in Crosscheck>`)] }] : []),
    ],
  };
}
