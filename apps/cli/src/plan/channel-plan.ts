import { CHANNEL_EVENT_TYPES, documentChanges, REDACTED_CHANGE, type ChannelRouting, type ChannelType } from '@crosscheck/contract';
import type { FieldChange, LiveChannel } from '../api/wire-shapes';
import { CHANNEL_SECRET_FIELDS } from '../config-file/channel-secrets';
import type { ChannelDocument, ConfigFile, DesiredChannel } from '../config-file/config-file';
import type { MatchedResources } from './match-resources';
import type { StatusPageIssue } from './status-page-plan';

/**
 * What the plan says of the file's channels, worked out on the client: the API never shows a
 * channel's secrets, so no dry run could compare them without sending them to be compared. The
 * fields the API shows are compared with the file's, defaults filled in (`events` as a set, in
 * the API's order of event types); each secret the file gives is compared by its last 4
 * characters with the view's `secretHints` (`routingKey: "…9f2c"`): a secret whose last 4 differ,
 * or that the server does not have, is a change (`routingKey (secret) changed`), never shown.
 * A secret rotated to one that ends the same is not seen (1 in 16^4 for a hex key): change
 * anything else of the channel, or delete it, to send it again. A secret the file leaves out is
 * kept, as the API keeps one a `PATCH` leaves out, and so is an SMTP username. A type never changes: a channel of the file of
 * another type than the server's is an issue. Pure.
 */
export function planChannels(config: ConfigFile, matched: MatchedResources): { issues: StatusPageIssue[]; /** By channel key. */ changes: Map<string, FieldChange[]> } {
  const issues: StatusPageIssue[] = [];
  const changes = new Map<string, FieldChange[]>();
  for (const { desired, live } of matched.channels.pairs) {
    if (live.type !== desired.document.type) {
      issues.push({
        path: [...desired.path, 'type'],
        message: `channel ${desired.key} is a ${live.type} channel on the server (${live.id}): a channel's type never changes; give this one a new key${config.declares.channels ? ' (and apply with --prune to delete the old one)' : ''}`,
      });
      continue;
    }
    changes.set(desired.key, channelChanges(desired, live));
  }
  return { issues, changes };
}

/** The changes that make the server's channel the file's: the fields it shows, then the secrets by their hints. */
export function channelChanges(desired: DesiredChannel, live: LiveChannel): FieldChange[] {
  const current = liveChannelDocument(live);
  const found: FieldChange[] = documentChanges(comparable(current), comparable(keepingUnsetUsername(desired.document, current)));
  for (const [path, secret] of Object.entries(desired.secrets)) {
    const field = CHANNEL_SECRET_FIELDS[desired.document.type].find((candidate) => candidate.path === path);
    const hint = field?.hints.map((name) => live.secretHints[name]).find((value) => value !== undefined);
    if (hint === undefined) found.push({ path, after: REDACTED_CHANGE, secret: true });
    else if (lastFour(hint) !== lastFour(secret)) found.push({ path, before: REDACTED_CHANGE, after: REDACTED_CHANGE, secret: true });
  }
  return found;
}

/**
 * An SMTP username the file leaves out is the server's: a `PATCH` cannot remove one (as it
 * keeps a secret it is not given), so comparing it would plan an update that never lands.
 */
function keepingUnsetUsername(document: ChannelDocument, current: ChannelDocument): ChannelDocument {
  const smtp = document.settings['smtp'] as Record<string, unknown> | undefined;
  const liveSmtp = current.settings['smtp'] as Record<string, unknown> | undefined;
  if (smtp === undefined || smtp['username'] !== null || liveSmtp === undefined) return document;
  return { ...document, settings: { ...document.settings, smtp: { ...smtp, username: liveSmtp['username'] ?? null } } };
}

/** A channel of the server as the file would write it, secrets left out. */
export function liveChannelDocument(channel: LiveChannel): ChannelDocument {
  const { type: _type, ...settings } = channel.settings;
  return {
    key: channel.key,
    type: channel.type as ChannelType,
    name: channel.name,
    description: channel.description,
    events: channel.events,
    routing: channel.routing as ChannelRouting,
    enabled: channel.enabled,
    settings,
  };
}

/** A channel as compared: its settings beside the common fields, as the file writes them (`smtp.port`, `to.0`), events as a set. */
function comparable(document: ChannelDocument): Record<string, unknown> {
  const { key: _key, type: _type, settings, ...common } = document;
  return { ...common, events: inApiOrder(document.events), ...settings };
}

function inApiOrder(events: readonly string[]): string[] {
  const rank = (type: string): number => {
    const index = (CHANNEL_EVENT_TYPES as readonly string[]).indexOf(type);
    return index === -1 ? CHANNEL_EVENT_TYPES.length : index;
  };
  return [...events].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `…9f2c` (or `...9f2c`) and a secret alike: the last 4 characters. */
function lastFour(text: string): string {
  return text.replace(/^(…|\.\.\.)/, '').slice(-4);
}

/** What `POST /v1/channels` takes for a channel of the file: the type's fields with its secrets (a new channel is enabled). */
export function channelCreateBody(channel: DesiredChannel): Record<string, unknown> {
  const { key, type, name, description, events, routing } = channel.document;
  return { key, type, name, ...(description !== null ? { description } : {}), events, routing, ...typeFields(channel) };
}

/** What `PATCH /v1/channels/{id}` takes to make a channel the file's: every field, its secrets sent again. */
export function channelPatchBody(channel: DesiredChannel): Record<string, unknown> {
  const { key, type, name, description, events, routing, enabled } = channel.document;
  return { key, type, name, description, events, routing, enabled, ...typeFields(channel) };
}

/** The type's own fields as the API body writes them: the settings (an unset SMTP username left out) and the secrets at their paths. */
function typeFields(channel: DesiredChannel): Record<string, unknown> {
  const fields = withoutNulls(channel.document.settings) as Record<string, unknown>;
  for (const [path, secret] of Object.entries(channel.secrets)) {
    const parts = path.split('.');
    let target = fields;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      target[part] = typeof next === 'object' && next !== null ? { ...(next as Record<string, unknown>) } : {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = secret;
  }
  return fields;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) kept[key] = withoutNulls(item);
  return kept;
}
