import { arrayAt, isObject, stringAt } from './json-value';
import { parseMrkdwn, parsePlainText, safeHref, type MrkdwnNode } from './slack-mrkdwn';

/**
 * A Slack message (`{text, blocks}`, what an incoming webhook is posted) read for drawing: each
 * block of the kinds Slack shows in a message, its texts parsed (`mrkdwn` or `plain_text`), the
 * buttons' URLs kept only when they are http(s), and Block Kit's published limits checked, so the
 * preview says when Slack would refuse the message.
 */

/** Block Kit's limits that a message over would be refused for (api.slack.com/reference/block-kit). */
export const BLOCK_KIT_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, actionsElements: 25, buttonText: 75, buttonUrl: 3000 } as const;

/** A text object, parsed. */
export interface PreviewText {
  format: 'mrkdwn' | 'plain_text';
  raw: string;
  nodes: MrkdwnNode[];
}

export interface PreviewButton {
  label: PreviewText;
  /** `null`: no URL, or one that is not http(s) (an interactive button: Slack would call the app). */
  href: string | null;
  style: 'primary' | 'danger' | null;
}

export type ContextElement = { kind: 'text'; text: PreviewText } | { kind: 'image'; alt: string };

export type PreviewBlock =
  | { type: 'header'; text: PreviewText }
  | { type: 'section'; text: PreviewText | null; fields: PreviewText[] }
  | { type: 'context'; elements: ContextElement[] }
  | { type: 'divider' }
  | { type: 'actions'; buttons: PreviewButton[] }
  | { type: 'image'; alt: string; title: PreviewText | null }
  | { type: 'unknown'; blockType: string };

export interface SlackPreview {
  /** The notification's fallback text (push notifications, screen readers), parsed; `null` when absent. */
  text: PreviewText | null;
  blocks: PreviewBlock[];
  /** Each limit of Block Kit the message goes over, in words (`block 1 (header): text is 151 characters, over 150`). */
  overLimits: string[];
}

/** Why a payload is not a Slack message at all. */
export class NotASlackMessageError extends Error {
  constructor(reason: string) {
    super(`not a Slack message: ${reason}`);
    this.name = 'NotASlackMessageError';
  }
}

function textObject(value: unknown): PreviewText | null {
  if (!isObject(value)) return null;
  const raw = stringAt(value, 'text');
  if (raw === null) return null;
  if (value['type'] === 'mrkdwn') return { format: 'mrkdwn', raw, nodes: parseMrkdwn(raw) };
  return { format: 'plain_text', raw, nodes: parsePlainText(raw, value['emoji'] !== false) };
}

function buttonOf(value: unknown): PreviewButton | null {
  if (!isObject(value) || value['type'] !== 'button') return null;
  const label = textObject(value['text']);
  if (label === null) return null;
  const url = stringAt(value, 'url');
  const href = url !== null ? safeHref(url) : null;
  const style = value['style'] === 'primary' || value['style'] === 'danger' ? value['style'] : null;
  return { label, href: href !== null && !href.startsWith('mailto:') ? href : null, style };
}

function blockOf(value: unknown): PreviewBlock {
  if (!isObject(value)) return { type: 'unknown', blockType: typeof value };
  const type = stringAt(value, 'type') ?? '(no type)';
  switch (type) {
    case 'header': {
      const text = textObject(value['text']);
      return text ? { type: 'header', text } : { type: 'unknown', blockType: 'header without text' };
    }
    case 'section':
      return {
        type: 'section',
        text: textObject(value['text']),
        fields: arrayAt(value, 'fields')
          .map(textObject)
          .filter((field): field is PreviewText => field !== null),
      };
    case 'context':
      return {
        type: 'context',
        elements: arrayAt(value, 'elements').flatMap((element): ContextElement[] => {
          if (isObject(element) && element['type'] === 'image') return [{ kind: 'image', alt: stringAt(element, 'alt_text') ?? 'image' }];
          const text = textObject(element);
          return text ? [{ kind: 'text', text }] : [];
        }),
      };
    case 'divider':
      return { type: 'divider' };
    case 'actions':
      return {
        type: 'actions',
        buttons: arrayAt(value, 'elements')
          .map(buttonOf)
          .filter((button): button is PreviewButton => button !== null),
      };
    case 'image':
      return { type: 'image', alt: stringAt(value, 'alt_text') ?? 'image', title: textObject(value['title']) };
    default:
      return { type: 'unknown', blockType: type };
  }
}

function limitsOf(blocks: readonly unknown[]): string[] {
  const over: string[] = [];
  const L = BLOCK_KIT_LIMITS;
  if (blocks.length > L.blocks) over.push(`${blocks.length} blocks, over ${L.blocks}`);
  blocks.forEach((block, index) => {
    if (!isObject(block)) return;
    const where = `block ${index + 1} (${String(block['type'])})`;
    const length = (value: unknown): number => (isObject(value) ? (stringAt(value, 'text') ?? '').length : 0);
    const check = (what: string, n: number, max: number): void => {
      if (n > max) over.push(`${where}: ${what} is ${n}, over ${max}`);
    };
    switch (block['type']) {
      case 'header':
        check('the text length', length(block['text']), L.headerText);
        break;
      case 'section': {
        check('the text length', length(block['text']), L.sectionText);
        const fields = arrayAt(block, 'fields');
        check('the number of fields', fields.length, L.fields);
        fields.forEach((field, n) => check(`field ${n + 1}'s length`, length(field), L.fieldText));
        break;
      }
      case 'context':
        check('the number of elements', arrayAt(block, 'elements').length, L.contextElements);
        break;
      case 'actions': {
        const elements = arrayAt(block, 'elements');
        check('the number of elements', elements.length, L.actionsElements);
        elements.forEach((element, n) => {
          if (!isObject(element)) return;
          check(`button ${n + 1}'s text length`, length(element['text']), L.buttonText);
          check(`button ${n + 1}'s URL length`, (stringAt(element, 'url') ?? '').length, L.buttonUrl);
        });
        break;
      }
    }
  });
  return over;
}

/** Reads a Slack message for drawing; throws {@link NotASlackMessageError} when it is not one. */
export function readSlackMessage(payload: unknown): SlackPreview {
  if (!isObject(payload)) throw new NotASlackMessageError('the payload is not a JSON object');
  const blocks = payload['blocks'];
  if (blocks !== undefined && !Array.isArray(blocks)) throw new NotASlackMessageError('blocks is not an array');
  const raw = stringAt(payload, 'text');
  if ((blocks === undefined || blocks.length === 0) && raw === null) throw new NotASlackMessageError('it has neither text nor blocks');
  return {
    text: raw === null ? null : { format: 'mrkdwn', raw, nodes: parseMrkdwn(raw) },
    blocks: (blocks ?? []).map(blockOf),
    overLimits: limitsOf(blocks ?? []),
  };
}

