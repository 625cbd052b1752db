import { describeIncident } from '../../describe/describe-incident';
import type { IncidentDescription, RegionWords } from '../../describe/incident-description';
import type { NotifyEvent } from '../../events/notify-event';
import type { RenderOptions } from '../../links/dashboard-links';
import { regionFacts } from '../../words/region-facts';
import { cut } from '../../words/text-limits';
import { teamsText } from './teams-text';

/** The Adaptive Card's content type, schema and version (Teams renders up to 1.5; 1.4 works in every Teams client and in Workflows). */
export const ADAPTIVE_CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.4',
} as const;

/** Teams refuses a message over 28 KB; the card is kept under it with room for the envelope. */
export const TEAMS_LIMITS = { messageBytes: 28 * 1024, textBlock: 2000, factValue: 1000, factTitle: 100, actions: 6 } as const;

/** The card elements the renderer uses. */
export type AdaptiveElement =
  | { type: 'TextBlock'; text: string; wrap: true; weight?: 'Bolder'; size?: 'Medium' | 'Large'; color?: 'Attention' | 'Warning' | 'Good' | 'Accent'; isSubtle?: boolean; spacing?: 'Medium' }
  | { type: 'FactSet'; facts: Array<{ title: string; value: string }> };

/** An Adaptive Card. */
export interface AdaptiveCard {
  $schema: typeof ADAPTIVE_CARD.schema;
  type: 'AdaptiveCard';
  version: typeof ADAPTIVE_CARD.version;
  body: AdaptiveElement[];
  actions?: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
  msteams?: { width: 'Full' };
}

/** The body of a Teams Workflows webhook POST ("When a Teams webhook request is received"): one card attachment. */
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{ contentType: typeof ADAPTIVE_CARD.contentType; contentUrl: null; content: AdaptiveCard }>;
}

const COLOR: Record<IncidentDescription['severity'], 'Attention' | 'Warning' | 'Accent'> = {
  critical: 'Attention',
  major: 'Attention',
  minor: 'Warning',
  warning: 'Warning',
  info: 'Accent',
};

function text(value: string, max: number = TEAMS_LIMITS.textBlock): string {
  return teamsText(cut(value, max));
}

function regionElements(region: RegionWords): AdaptiveElement[] {
  return [
    { type: 'TextBlock', text: text(region.region, 200), wrap: true, weight: 'Bolder', spacing: 'Medium' },
    { type: 'FactSet', facts: regionFacts(region).map((fact) => ({ title: fact.label, value: text(fact.value, TEAMS_LIMITS.factValue) })) },
  ];
}

function bytes(message: TeamsMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

/**
 * The Teams message of a notification: an Adaptive Card (not the retired connector MessageCard)
 * with the title, the classification in words, the summary, when and how bad, a fact set per
 * decisive region, the others in one fact set, and links to the dashboard. Decisive regions past
 * what fits in Teams' 28 KB are counted, not shown.
 */
export function teamsMessage(event: NotifyEvent, options: RenderOptions = {}): TeamsMessage {
  const description = describeIncident(event, options);
  const ending = event.type === 'incident.resolved' || event.type === 'region.restored' || event.type === 'maintenance.ended';
  const head: AdaptiveElement[] = [
    { type: 'TextBlock', text: text(description.title, 300), wrap: true, weight: 'Bolder', size: 'Large', color: ending ? 'Good' : COLOR[description.severity] },
    { type: 'TextBlock', text: text(description.summary), wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Severity', value: description.severity },
        ...(description.sinceWords ? [{ title: 'Since', value: description.sinceWords }] : []),
        ...(description.duration ? [{ title: 'Lasted', value: description.duration }] : []),
        ...(description.monitor ? [{ title: 'Monitor', value: text(`${description.monitor.name} (${description.monitor.url})`, TEAMS_LIMITS.factValue) }] : []),
        ...(description.blindRegions.length > 0 ? [{ title: 'Blind', value: text(description.blindRegions.join(', '), TEAMS_LIMITS.factValue) }] : []),
      ],
    },
  ];
  const actions = [
    ...(description.links.incident ? [{ type: 'Action.OpenUrl' as const, title: 'Open incident', url: description.links.incident }] : []),
    ...(description.links.monitor ? [{ type: 'Action.OpenUrl' as const, title: 'Open monitor', url: description.links.monitor }] : []),
  ];
  const decisive = ending ? [] : description.regions.filter((r) => r.decisive);
  const others = ending ? [] : description.regions.filter((r) => !r.decisive);
  const rest: AdaptiveElement[] =
    others.length > 0 ? [{ type: 'FactSet', facts: others.map((r) => ({ title: text(r.region, TEAMS_LIMITS.factTitle), value: text(r.words, TEAMS_LIMITS.factValue) })) }] : [];

  const build = (shown: number): TeamsMessage => {
    const left = decisive.length - shown;
    const body = [
      ...head,
      ...decisive.slice(0, shown).flatMap(regionElements),
      ...(left > 0 ? [{ type: 'TextBlock' as const, text: `…and ${left} more affected regions: see the incident in the dashboard`, wrap: true as const, isSubtle: true }] : []),
      ...rest,
    ];
    const card: AdaptiveCard = {
      $schema: ADAPTIVE_CARD.schema,
      type: 'AdaptiveCard',
      version: ADAPTIVE_CARD.version,
      body,
      ...(actions.length > 0 ? { actions } : {}),
      msteams: { width: 'Full' },
    };
    return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD.contentType, contentUrl: null, content: card }] };
  };

  let shown = decisive.length;
  let message = build(shown);
  while (bytes(message) > TEAMS_LIMITS.messageBytes && shown > 0) message = build(--shown);
  // Still too large (hundreds of other regions): list fewer of them.
  while (bytes(message) > TEAMS_LIMITS.messageBytes && rest[0]?.type === 'FactSet' && rest[0].facts.length > 1) {
    const facts = rest[0].facts;
    const dropped = Math.max(1, Math.ceil(facts.length / 4));
    rest[0] = { type: 'FactSet', facts: [...facts.slice(0, facts.length - dropped - 1), { title: '…', value: `and ${others.length - (facts.length - dropped - 1)} more regions` }] };
    message = build(shown);
  }
  return message;
}
