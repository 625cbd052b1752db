import { REDACTED, REDACTED_USERINFO } from '@crosscheck/checks';
import { PAGERDUTY_EVENTS_URL, type ChannelType } from '@crosscheck/contract';
import { Document } from 'yaml';
import type { LiveChannel, LiveMonitor, LivePolicy, LiveWebhook } from '../api/wire-shapes';
import { CHANNEL_SECRET_FIELDS, secretVariableName, upperSnake } from '../config-file/channel-secrets';
import { CONFIG_FILE_VERSION } from '../config-file/config-file';
import { liveChannelDocument } from '../plan/channel-plan';
import type { LiveState } from '../plan/live-state';
import { liveMaintenanceDocument } from '../plan/maintenance-plan';
import { livePolicyDocument } from '../plan/policy-plan';
import { liveDocument } from '../plan/status-page-plan';

/** The monitor's own fields a file carries (the rest of the view, id, revision and times, is the server's). */
const MONITOR_ENVELOPE = ['name', 'regions', 'intervalSeconds', 'reconcile', 'incidents'] as const;

/** An exported file and the variables it needs set before it is applied. */
export interface ExportedConfig {
  text: string;
  /** `${NAME}` placeholders standing for secrets the API does not show, with where each goes. */
  variables: { name: string; path: string }[];
  /** How many channels it has (webhooks, which are channels too, are in `webhooks`). */
  channels: number;
}

/**
 * The live configuration as a file that plans with no changes: operator regions, monitors (the
 * API body: envelope and spec, defaults as the server filled them in, their channels by key),
 * webhooks, channels, policies (their channels by key), status pages and maintenance windows
 * (their monitors by key), each with its key. Secrets the API does not show (monitors' redacted
 * ones, every channel secret) become `${CROSSCHECK_<KEY>_<FIELD>}` placeholders, listed in a
 * comment; a literal `${` in a value is written `$${`. Pure.
 */
export function exportConfig(live: LiveState, server: string): ExportedConfig {
  const variables: { name: string; path: string }[] = [];
  const keyOfChannel = new Map([...live.channels, ...live.webhooks].map((channel) => [channel.id, channel.key]));
  const channelKey = (id: string): string => keyOfChannel.get(id) ?? id;
  const monitors = [...live.monitors].sort(byKey).map((monitor, index) => exportMonitor(monitor, index, variables, channelKey));
  const webhooks = [...live.webhooks].sort(byKey).map(exportWebhook);
  // A webhook is a channel too: it is written once, under webhooks.
  const webhookIds = new Set(live.webhooks.map((webhook) => webhook.id));
  const channels = live.channels
    .filter((channel) => !webhookIds.has(channel.id))
    .sort(byKey)
    .map((channel, index) => exportChannel(channel, index, variables));
  const policies = [...live.policies].sort(byKey).map((policy) => exportPolicy(policy, channelKey));
  const keyOfMonitor = new Map(live.monitors.map((monitor) => [monitor.id, monitor.key]));
  const statusPages = [...live.statusPages].sort(byKey).map((page) => {
    const { key, slug, title, description, monitors: keys } = liveDocument(page, keyOfMonitor);
    return escapeReferences({ key, slug, title, ...(description !== null ? { description } : {}), monitors: keys });
  });
  const maintenance = [...live.maintenance].sort(byKey).map((window) => escapeReferences(liveMaintenanceDocument(window, keyOfMonitor)));
  const regions = live.regions
    .filter((region) => region.managedBy === 'operator')
    .map((region) => ({ name: region.name }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

  // A coordinator without channels or policies (older than them) gets no section of them: one would ask it to keep none.
  const supported = (route: string): boolean => !(live.absentRoutes ?? []).includes(route);
  const sections = {
    version: CONFIG_FILE_VERSION,
    regions,
    monitors,
    webhooks,
    ...(supported('/v1/channels') ? { channels } : {}),
    ...(supported('/v1/policies') ? { policies } : {}),
    statusPages,
    maintenance,
  };
  // No anchors and aliases where two entries share a value: each entry reads on its own.
  const document = new Document(sections, { aliasDuplicateObjects: false });
  const header = [` Exported by crosscheck export from ${server}.`, ' Apply with: crosscheck apply -f <this file>'];
  if (variables.length > 0) {
    header.push('', ' Secrets the API does not show are ${VAR} placeholders; set these variables before plan or apply:');
    for (const variable of variables) header.push(`   ${variable.name}  (${variable.path})`);
  }
  document.commentBefore = header.join('\n');
  return { text: document.toString({ lineWidth: 0 }), variables, channels: channels.length };
}

function exportMonitor(monitor: LiveMonitor, index: number, variables: { name: string; path: string }[], channelKey: (id: string) => string): Record<string, unknown> {
  const entry: Record<string, unknown> = { key: monitor.key };
  for (const field of MONITOR_ENVELOPE) if (monitor[field] !== undefined) entry[field] = escapeReferences(monitor[field]);
  if (monitor.labels !== undefined && Object.keys(monitor.labels).length > 0) entry['labels'] = escapeReferences(monitor.labels);
  if (monitor.channels !== undefined && monitor.channels.length > 0) entry['channels'] = monitor.channels.map(channelKey);
  const spec = escapeReferences(monitor.spec) as Record<string, unknown>;
  const prefix = `CROSSCHECK_${envName(monitor.key)}`;

  let userinfo = 0;
  spec['url'] = String(spec['url']).replace(new RegExp(`//${escapeRegExp(REDACTED_USERINFO)}@`, 'g'), () => {
    userinfo += 1;
    const name = `${prefix}_URL_USERINFO${userinfo > 1 ? `_${userinfo}` : ''}`;
    variables.push({ name, path: `monitors[${index}].url` });
    return `//\${${name}}@`;
  });
  const headers = spec['headers'];
  if (typeof headers === 'object' && headers !== null) {
    const filled: Record<string, unknown> = {};
    for (const [header, value] of Object.entries(headers)) {
      let shown = value;
      if (value === REDACTED) {
        const name = `${prefix}_HEADER_${envName(header)}`;
        variables.push({ name, path: `monitors[${index}].headers.${header}` });
        shown = `\${${name}}`;
      }
      Object.defineProperty(filled, header, { value: shown, enumerable: true, writable: true, configurable: true });
    }
    spec['headers'] = filled;
  }
  return { ...entry, ...spec };
}

function exportWebhook(webhook: LiveWebhook): Record<string, unknown> {
  return {
    key: webhook.key,
    url: escapeReferences(webhook.url),
    events: webhook.events,
    ...(webhook.description !== null ? { description: escapeReferences(webhook.description) } : {}),
    enabled: webhook.enabled,
  };
}

/**
 * A channel as the file writes it: the common fields, `enabled`, the type's settings (a PagerDuty
 * channel's `endpointUrl` only when it is not PagerDuty's), and each secret the type has, or an
 * optional one the server has (`secretHints`), as a `${CROSSCHECK_<KEY>_<FIELD>}` placeholder.
 */
function exportChannel(channel: LiveChannel, index: number, variables: { name: string; path: string }[]): Record<string, unknown> {
  const { key, type, name, description, events, routing, enabled, settings } = liveChannelDocument(channel);
  const fields = escapeReferences(settings) as Record<string, unknown>;
  if (type === 'pagerduty' && fields['endpointUrl'] === PAGERDUTY_EVENTS_URL) delete fields['endpointUrl'];
  const smtp = fields['smtp'];
  if (typeof smtp === 'object' && smtp !== null && (smtp as Record<string, unknown>)['username'] === null) delete (smtp as Record<string, unknown>)['username'];
  for (const field of CHANNEL_SECRET_FIELDS[type as ChannelType] ?? []) {
    const optional = field.path === 'smtp.password';
    if (optional && !field.hints.some((hint) => channel.secretHints[hint] !== undefined)) continue;
    const variable = secretVariableName(key, field.path);
    variables.push({ name: variable, path: `channels[${index}].${field.path}` });
    const parts = field.path.split('.');
    let target = fields;
    for (const part of parts.slice(0, -1)) {
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = `\${${variable}}`;
  }
  return {
    key,
    type,
    name: escapeReferences(name),
    ...(description !== null ? { description: escapeReferences(description) } : {}),
    events,
    routing,
    enabled,
    ...fields,
  };
}

/** A policy as the file writes it: what differs from a policy's defaults, its channels by key. */
function exportPolicy(policy: LivePolicy, channelKey: (id: string) => string): Record<string, unknown> {
  const document = livePolicyDocument(policy, channelKey);
  const match = Object.fromEntries(Object.entries(document.match).filter(([, value]) => value !== null));
  return escapeReferences({
    key: document.key,
    name: document.name,
    ...(document.description !== null ? { description: document.description } : {}),
    ...(document.default ? { default: true } : {}),
    ...(!document.enabled ? { enabled: false } : {}),
    ...(Object.keys(match).length > 0 ? { match } : {}),
    channels: document.channels,
    ...(document.reminder !== null ? { reminder: document.reminder } : {}),
    ...(document.escalation !== null ? { escalation: document.escalation } : {}),
  }) as Record<string, unknown>;
}

/** `${` in a value as the file must write it, so it reads back as itself and not as a variable. */
function escapeReferences(value: unknown): unknown {
  // A function: in a replacement string `$$` would mean one `$`.
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map(escapeReferences);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(result, key, { value: escapeReferences(item), enumerable: true, writable: true, configurable: true });
    return result;
  }
  return value;
}

/** `checkout-api` -> `CHECKOUT_API`, `X-Api-Key` -> `X_API_KEY`. */
export function envName(text: string): string {
  return upperSnake(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const byKey = <T extends { key: string }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
