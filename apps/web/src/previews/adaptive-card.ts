import { arrayAt, isObject, stringAt, type JsonObject } from './json-value';
import { safeHref } from './slack-mrkdwn';

/**
 * A Teams message (`{type: "message", attachments: [{content: AdaptiveCard}]}`, what a Workflows
 * webhook is posted) read for a simple drawing: TextBlocks (as plain text, with their weight,
 * size, colour and subtlety), FactSets, Containers, and Action.OpenUrl buttons with http(s) URLs.
 */

export type CardElement =
  | { type: 'TextBlock'; text: string; bold: boolean; size: 'small' | 'default' | 'medium' | 'large' | 'extraLarge'; color: string | null; subtle: boolean }
  | { type: 'FactSet'; facts: Array<{ title: string; value: string }> }
  | { type: 'Container'; items: CardElement[] }
  | { type: 'unknown'; elementType: string };

export interface CardAction {
  title: string;
  /** `null`: not an Action.OpenUrl, or its URL is not http(s). */
  href: string | null;
}

export interface CardPreview {
  version: string | null;
  body: CardElement[];
  actions: CardAction[];
}

/** Why a payload is not a Teams message with an Adaptive Card. */
export class NotAnAdaptiveCardError extends Error {
  constructor(reason: string) {
    super(`not an Adaptive Card message: ${reason}`);
    this.name = 'NotAnAdaptiveCardError';
  }
}

const SIZES = ['small', 'default', 'medium', 'large', 'extraLarge'] as const;

function elementOf(value: unknown, depth: number): CardElement {
  if (!isObject(value)) return { type: 'unknown', elementType: typeof value };
  const type = stringAt(value, 'type') ?? '(no type)';
  switch (type) {
    case 'TextBlock': {
      const size = (stringAt(value, 'size') ?? 'default').toLowerCase();
      return {
        type: 'TextBlock',
        text: stringAt(value, 'text') ?? '',
        bold: (stringAt(value, 'weight') ?? '').toLowerCase() === 'bolder',
        size: SIZES.find((known) => known.toLowerCase() === size) ?? 'default',
        color: stringAt(value, 'color'),
        subtle: value['isSubtle'] === true,
      };
    }
    case 'FactSet':
      return {
        type: 'FactSet',
        facts: arrayAt(value, 'facts').flatMap((fact) => (isObject(fact) ? [{ title: stringAt(fact, 'title') ?? '', value: stringAt(fact, 'value') ?? '' }] : [])),
      };
    case 'Container':
      // Deeper than a card would nest is not drawn: a hostile payload cannot recurse the page away.
      return depth > 8 ? { type: 'unknown', elementType: 'Container (nested too deep)' } : { type: 'Container', items: arrayAt(value, 'items').map((item) => elementOf(item, depth + 1)) };
    default:
      return { type: 'unknown', elementType: type };
  }
}

function actionOf(value: unknown): CardAction | null {
  if (!isObject(value)) return null;
  const url = value['type'] === 'Action.OpenUrl' ? stringAt(value, 'url') : null;
  const href = url === null ? null : safeHref(url);
  return { title: stringAt(value, 'title') ?? stringAt(value, 'type') ?? 'action', href: href !== null && !href.startsWith('mailto:') ? href : null };
}

function cardOf(card: JsonObject): CardPreview {
  if (card['type'] !== 'AdaptiveCard') throw new NotAnAdaptiveCardError('the attachment is not of type AdaptiveCard');
  return {
    version: stringAt(card, 'version'),
    body: arrayAt(card, 'body').map((element) => elementOf(element, 0)),
    actions: arrayAt(card, 'actions')
      .map(actionOf)
      .filter((action): action is CardAction => action !== null),
  };
}

/** Reads the first Adaptive Card of a Teams message (or a bare card); throws {@link NotAnAdaptiveCardError}. */
export function readTeamsMessage(payload: unknown): CardPreview {
  if (!isObject(payload)) throw new NotAnAdaptiveCardError('the payload is not a JSON object');
  if (payload['type'] === 'AdaptiveCard') return cardOf(payload);
  const attachment = arrayAt(payload, 'attachments').find((item) => isObject(item) && item['contentType'] === 'application/vnd.microsoft.card.adaptive');
  if (!isObject(attachment) || !isObject(attachment['content'])) throw new NotAnAdaptiveCardError('no attachment of content type application/vnd.microsoft.card.adaptive');
  return cardOf(attachment['content']);
}
