import type { ChannelSecrets } from '@crosscheck/contract';
import {
  emailMessage,
  notifyEventOf,
  pagerDutyEvent,
  slackMessage,
  teamsMessage,
  type EmailMessage,
  type IncidentReminderEvent,
  type MaintenanceEvent,
  type NotifyEvent,
  type PagerDutyEvent,
} from '@crosscheck/notify';
import type { ChannelMeta } from '../webhooks/webhook-endpoint';
import { WEBHOOK_TEST_EVENT_TYPE } from '../webhooks/webhook-endpoint';

/** The Standard Webhooks body every delivery job carries: what each channel's payload is rendered from. */
export interface EventBody {
  type: string;
  timestamp: string;
  data: unknown;
}

/** What one attempt of a delivery sends. */
export type ChannelRequest =
  | { kind: 'http'; url: string; headers: Record<string, string>; body: string; pagerDuty?: PagerDutyEvent }
  | { kind: 'mail'; message: EmailMessage }
  /** Nothing to send for this channel (a maintenance event to PagerDuty): delivered as suppressed. */
  | { kind: 'none'; reason: string };

/** What rendering needs besides the event and the channel. */
export interface RenderContext {
  channelId: string;
  /** `PUBLIC_URL`: the dashboard's address, for every link. */
  dashboardUrl: string;
}

/** A body that cannot be rendered: the job is unrecoverable (retrying renders it the same way). */
export class UnrenderableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrenderableEventError';
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Renders one queued event for one channel of type pagerduty, slack, teams or email: the words come
 * from `@crosscheck/notify` (one renderer for every channel), the address and credentials from the
 * channel. Pure: the same event and channel give the same bytes on every attempt.
 */
export function renderForChannel(channel: ChannelMeta, secrets: ChannelSecrets, body: EventBody, context: RenderContext): ChannelRequest {
  if (body.type === WEBHOOK_TEST_EVENT_TYPE) return renderTest(channel, secrets, context, body.timestamp);
  const event = notifyEventFromBody(body);
  const options = { dashboardUrl: context.dashboardUrl };
  switch (channel.settings.type) {
    case 'pagerduty': {
      const pd = pagerDutyEvent(event, { ...options, routingKey: required(secrets.routingKey, 'routing key') });
      if (pd === null) return { kind: 'none', reason: `PagerDuty takes no ${event.type} events (they page nobody)` };
      return { kind: 'http', url: channel.settings.endpointUrl, headers: JSON_HEADERS, body: JSON.stringify(pd), pagerDuty: pd };
    }
    case 'slack':
      return { kind: 'http', url: required(secrets.webhookUrl, 'webhook URL'), headers: JSON_HEADERS, body: JSON.stringify(slackMessage(event, options)) };
    case 'teams':
      return { kind: 'http', url: required(secrets.webhookUrl, 'webhook URL'), headers: JSON_HEADERS, body: JSON.stringify(teamsMessage(event, options)) };
    case 'email': {
      const { from, to } = channel.settings;
      return { kind: 'mail', message: emailMessage(event, { ...options, from, to, messageDomain: domainOf(from) }) };
    }
    case 'webhook':
      throw new UnrenderableEventError('a webhook channel sends the event as it is, signed: not rendered');
  }
}

/** The notify library's event for a queued body: incident and region events, reminders, maintenance windows. */
export function notifyEventFromBody(body: EventBody): NotifyEvent {
  const { type, timestamp } = body;
  try {
    if (type === 'incident.reminder') return { type, timestamp, data: body.data } as IncidentReminderEvent;
    if (type === 'maintenance.started' || type === 'maintenance.ended') return { type, timestamp, data: body.data } as MaintenanceEvent;
    return notifyEventOf({ type, timestamp, data: body.data as Parameters<typeof notifyEventOf>[0]['data'] });
  } catch (error) {
    throw new UnrenderableEventError(`event ${type} cannot be rendered: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A test message in each channel's own form: it reaches the people the channel reaches, and says so. */
function renderTest(channel: ChannelMeta, secrets: ChannelSecrets, context: RenderContext, timestamp: string): ChannelRequest {
  const words = `Test message from Crosscheck for the channel "${channel.name}": if you can read this, the channel works.`;
  switch (channel.settings.type) {
    case 'pagerduty': {
      const pd: PagerDutyEvent = {
        routing_key: required(secrets.routingKey, 'routing key'),
        dedup_key: `crosscheck-test-${context.channelId}`,
        event_action: 'trigger',
        payload: { summary: words, source: 'crosscheck', severity: 'info', timestamp, component: 'crosscheck', group: '', class: 'test', custom_details: { test: true } },
        client: 'Crosscheck',
        client_url: context.dashboardUrl,
      };
      return { kind: 'http', url: channel.settings.endpointUrl, headers: JSON_HEADERS, body: JSON.stringify(pd), pagerDuty: pd };
    }
    case 'slack':
      return {
        kind: 'http',
        url: required(secrets.webhookUrl, 'webhook URL'),
        headers: JSON_HEADERS,
        body: JSON.stringify({ text: words, blocks: [{ type: 'section', text: { type: 'plain_text', text: words, emoji: true } }] }),
      };
    case 'teams':
      return {
        kind: 'http',
        url: required(secrets.webhookUrl, 'webhook URL'),
        headers: JSON_HEADERS,
        body: JSON.stringify({
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: words, wrap: true }] },
            },
          ],
        }),
      };
    case 'email': {
      const { from, to } = channel.settings;
      const domain = domainOf(from);
      return {
        kind: 'mail',
        message: {
          from,
          to,
          subject: '[Crosscheck] Test message',
          text: `${words}\n`,
          html: `<p>${escapeHtml(words)}</p>`,
          headers: { 'Message-ID': `<test.${context.channelId}.${Date.parse(timestamp)}@${domain}>` },
        },
      };
    }
    case 'webhook':
      throw new UnrenderableEventError('a webhook channel sends the event as it is, signed: not rendered');
  }
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UnrenderableEventError(`the channel has no ${what} stored; set it with PATCH /v1/channels/{id}`);
  return value;
}

/** The domain of an address, for Message-IDs (`alerts@example.com` -> `example.com`). */
function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1).replace(/[>\s]/g, '') : '';
  // An address can pass as an email and still have a domain no Message-ID may carry (a label ending in "-").
  return MESSAGE_DOMAIN.test(domain) ? domain : 'crosscheck.invalid';
}

/** What a Message-ID's right-hand side may be: dot-separated labels of letters, digits and inner hyphens. */
const MESSAGE_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
