import { REDACTED, REDACTED_USERINFO } from '@crosscheck/checks';
import { Document } from 'yaml';
import type { LiveMonitor, LiveWebhook } from '../api/wire-shapes';
import { CONFIG_FILE_VERSION } from '../config-file/config-file';
import type { LiveState } from '../plan/live-state';
import { liveMaintenanceDocument } from '../plan/maintenance-plan';
import { liveDocument } from '../plan/status-page-plan';

/** The monitor's own fields a file carries (the rest of the view, id, revision and times, is the server's). */
const MONITOR_ENVELOPE = ['name', 'regions', 'intervalSeconds', 'reconcile', 'incidents'] as const;

/** An exported file and the variables it needs set before it is applied. */
export interface ExportedConfig {
  text: string;
  /** `${NAME}` placeholders standing for secrets the API does not show, with where each goes. */
  variables: { name: string; path: string }[];
}

/**
 * The live configuration as a file that plans with no changes: operator regions, monitors (the
 * API body: envelope and spec, defaults as the server filled them in), webhooks, status pages and
 * maintenance windows (their monitors by key), each with its key. Secrets the API shows redacted become `${CROSSCHECK_<KEY>_<FIELD>}` placeholders,
 * listed in a comment; a literal `${` in a value is written `$${`. Pure.
 */
export function exportConfig(live: LiveState, server: string): ExportedConfig {
  const variables: { name: string; path: string }[] = [];
  const monitors = [...live.monitors].sort(byKey).map((monitor, index) => exportMonitor(monitor, index, variables));
  const webhooks = [...live.webhooks].sort(byKey).map(exportWebhook);
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

  const document = new Document({ version: CONFIG_FILE_VERSION, regions, monitors, webhooks, statusPages, maintenance });
  const header = [` Exported by crosscheck export from ${server}.`, ' Apply with: crosscheck apply -f <this file>'];
  if (variables.length > 0) {
    header.push('', ' Secrets the API does not show are ${VAR} placeholders; set these variables before plan or apply:');
    for (const variable of variables) header.push(`   ${variable.name}  (${variable.path})`);
  }
  document.commentBefore = header.join('\n');
  return { text: document.toString({ lineWidth: 0 }), variables };
}

function exportMonitor(monitor: LiveMonitor, index: number, variables: { name: string; path: string }[]): Record<string, unknown> {
  const entry: Record<string, unknown> = { key: monitor.key };
  for (const field of MONITOR_ENVELOPE) if (monitor[field] !== undefined) entry[field] = escapeReferences(monitor[field]);
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
  return text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const byKey = <T extends { key: string }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
