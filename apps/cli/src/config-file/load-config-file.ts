import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { CliFailure } from '../cli/cli-failure';
import {
  CONFIG_FILE_VERSION,
  type ConfigFile,
  type DesiredChannel,
  type DesiredMaintenance,
  type DesiredMonitor,
  type DesiredPolicy,
  type DesiredRegion,
  type DesiredStatusPage,
  type DesiredWebhook,
} from './config-file';
import { ConfigFileError, type ConfigFileIssue } from './config-file-error';
import { formatIssuePath, resolveDottedPath, type IssuePath } from './issue-path';
import {
  validateChannelEntry,
  validateMaintenanceEntry,
  validateMonitorEntry,
  validatePolicyEntry,
  validateRegionEntry,
  validateStatusPageEntry,
  validateWebhookEntry,
} from './resource-validation';
import { SourceLocator } from './source-locator';
import { substituteEnv } from './substitute-env';

/** Aliases a file may expand (YAML's "billion laughs" stays out). */
const MAX_ALIAS_COUNT = 100;

/** The top of the file; each resource is then validated by the API's own schemas. */
const fileShape = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(CONFIG_FILE_VERSION, `must be ${CONFIG_FILE_VERSION}, the version of the file format this CLI reads`),
  regions: z.array(z.unknown()).optional(),
  monitors: z.array(z.unknown()).optional(),
  webhooks: z.array(z.unknown()).optional(),
  channels: z.array(z.unknown()).optional(),
  policies: z.array(z.unknown()).optional(),
  statusPages: z.array(z.unknown()).optional(),
  maintenance: z.array(z.unknown()).optional(),
});

/** Reads and validates a configuration file; throws {@link ConfigFileError} listing every issue. */
export async function readConfigFile(file: string, variables: ReadonlyMap<string, string>): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : ((error as Error).message ?? String(error))}`);
  }
  return loadConfigFile(file, text, variables);
}

/**
 * Validates the text of a configuration file (YAML, or JSON, which YAML reads too) with the
 * schemas the API validates with, after filling in `${VAR}` references. Every issue names the
 * file, the path (`monitors[2].expect.json[0].path`) and the line and column. Pure but for the
 * variables it is given.
 */
export function loadConfigFile(file: string, text: string, variables: ReadonlyMap<string, string>): ConfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locator = new SourceLocator(document, lineCounter);
  const issues: ConfigFileIssue[] = [];
  const at = (path: IssuePath, message: string): void => {
    const { line, col } = locator.locate(path);
    issues.push({ file, path: formatIssuePath(path), line, col, message });
  };

  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const message = error.code === 'DUPLICATE_KEY' ? `duplicate key ${JSON.stringify(keyAt(text, error.pos[0]))}: a key may appear once per mapping` : error.message;
    issues.push({ file, path: '', line, col, message });
  }
  if (issues.length > 0) throw new ConfigFileError(file, issues);

  const parsed: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  const shape = fileShape.safeParse(parsed ?? {});
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) at([...issue.path.map(segment), key], 'unknown field (expected $schema, version, regions, monitors, webhooks, channels, policies, statusPages, maintenance)');
      else at(issue.path.map(segment), valueAt(parsed, issue.path) === undefined ? 'is required' : issue.message);
    }
    throw new ConfigFileError(file, issues);
  }

  const substituted = substituteEnv(shape.data, variables);
  for (const issue of substituted.issues) at(issue.path, issue.message);
  const unresolved = substituted.issues.map((issue) => formatIssuePath(issue.path));
  // A field whose variable is missing holds `${NAME}`: its schema issues would only repeat that.
  const report = (path: IssuePath, message: string): void => {
    const text = formatIssuePath(path);
    if (!unresolved.some((prefix) => text === prefix || text.startsWith(`${prefix}.`) || text.startsWith(`${prefix}[`))) at(path, message);
  };

  const value = substituted.value as z.infer<typeof fileShape>;
  const regions: DesiredRegion[] = [];
  const monitors: DesiredMonitor[] = [];
  const webhooks: DesiredWebhook[] = [];
  const statusPages: DesiredStatusPage[] = [];
  const maintenance: DesiredMaintenance[] = [];
  const channels: DesiredChannel[] = [];
  const policies: DesiredPolicy[] = [];

  (value.regions ?? []).forEach((entry, index) => {
    const path = ['regions', index];
    const result = validateRegionEntry(entry);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else regions.push({ name: result.name, path });
  });
  (value.monitors ?? []).forEach((entry, index) => {
    const path = ['monitors', index];
    const result = validateMonitorEntry(entry);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else monitors.push({ key: result.key, body: result.body, channels: result.channels, path });
  });
  (value.webhooks ?? []).forEach((entry, index) => {
    const path = ['webhooks', index];
    const result = validateWebhookEntry(entry);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else webhooks.push({ key: result.document.key, document: result.document, path });
  });

  (value.channels ?? []).forEach((entry, index) => {
    const path = ['channels', index];
    // The entry as written, too: a secret must be a ${NAME} reference there.
    const result = validateChannelEntry(entry, shape.data.channels?.[index]);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else channels.push({ key: result.document.key, document: result.document, secrets: result.secrets, path });
  });

  (value.policies ?? []).forEach((entry, index) => {
    const path = ['policies', index];
    const result = validatePolicyEntry(entry);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else policies.push({ key: result.document.key, document: result.document, path });
  });

  (value.statusPages ?? []).forEach((entry, index) => {
    const path = ['statusPages', index];
    const result = validateStatusPageEntry(entry);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else statusPages.push({ key: result.document.key, document: result.document, path });
  });

  (value.maintenance ?? []).forEach((entry, index) => {
    const path = ['maintenance', index];
    const result = validateMaintenanceEntry(entry);
    if (!result.ok) for (const issue of result.issues) report([...path, ...resolveDottedPath(entry, issue.path)], issue.message);
    else maintenance.push({ key: result.document.key, document: result.document, path });
  });

  reportDuplicates(value.regions, 'name', 'region', 'regions', at);
  reportDuplicates(value.monitors, 'key', 'monitor', 'monitors', at);
  reportDuplicates(value.webhooks, 'key', 'webhook', 'webhooks', at);
  reportDuplicates(value.channels, 'key', 'channel', 'channels', at);
  reportDuplicates(value.policies, 'key', 'policy', 'policies', at);
  reportSharedKeys(value.webhooks, value.channels, at);
  reportDefaults(policies, at);
  reportDuplicates(value.statusPages, 'key', 'status page', 'statusPages', at);
  reportDuplicates(value.statusPages, 'slug', 'status page', 'statusPages', at);
  reportDuplicates(value.maintenance, 'key', 'maintenance window', 'maintenance', at);

  if (issues.length > 0) throw new ConfigFileError(file, issues.sort((a, b) => a.line - b.line || a.col - b.col));
  return {
    file,
    regions,
    monitors,
    webhooks,
    statusPages,
    maintenance,
    channels,
    policies,
    declares: {
      regions: value.regions !== undefined,
      monitors: value.monitors !== undefined,
      webhooks: value.webhooks !== undefined,
      statusPages: value.statusPages !== undefined,
      maintenance: value.maintenance !== undefined,
      channels: value.channels !== undefined,
      policies: value.policies !== undefined,
    },
    locate: (path) => locator.locate(path),
  };
}

/** Entries of a section that share a key (or a region its name), whether or not they are otherwise valid. */
function reportDuplicates(entries: unknown[] | undefined, field: string, type: string, section: string, at: (path: IssuePath, message: string) => void): void {
  const first = new Map<string, IssuePath>();
  (entries ?? []).forEach((entry, index) => {
    const name = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[field] : undefined;
    if (typeof name !== 'string') return;
    const path = [section, index];
    const earlier = first.get(name);
    if (earlier) at([...path, field], `duplicate ${type} ${field} "${name}" (also ${formatIssuePath(earlier)}): each ${type} needs its own`);
    else first.set(name, path);
  });
}

/**
 * A webhook is a channel (of type `webhook`), and keys are unique among channels: a key may not
 * name both a webhook and a channel of the file.
 */
function reportSharedKeys(webhooks: unknown[] | undefined, channels: unknown[] | undefined, at: (path: IssuePath, message: string) => void): void {
  const webhookAt = new Map<string, number>();
  (webhooks ?? []).forEach((entry, index) => {
    const key = keyOf(entry);
    if (key !== undefined && !webhookAt.has(key)) webhookAt.set(key, index);
  });
  (channels ?? []).forEach((entry, index) => {
    const key = keyOf(entry);
    const webhook = key === undefined ? undefined : webhookAt.get(key);
    if (webhook !== undefined) at(['channels', index, 'key'], `duplicate channel key "${key}" (also webhooks[${webhook}]): a webhook is a channel, and each channel needs its own key`);
  });
}

/** At most one default policy (the API refuses a second with 409). */
function reportDefaults(policies: readonly DesiredPolicy[], at: (path: IssuePath, message: string) => void): void {
  const defaults = policies.filter((policy) => policy.document.default);
  for (const policy of defaults.slice(1)) at([...policy.path, 'default'], `a second default policy (also ${formatIssuePath(defaults[0]!.path)}): there is at most one`);
}

function keyOf(entry: unknown): string | undefined {
  const key = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['key'] : undefined;
  return typeof key === 'string' ? key : undefined;
}

/** The key written at `offset` (YAML plain or quoted, or a JSON string). */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const quoted = /^(["'])(.*?)\1/.exec(rest);
  if (quoted) return quoted[2] ?? '';
  return (/^[^:\n]*/.exec(rest)?.[0] ?? '').trim();
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) current = typeof current === 'object' && current !== null ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

function segment(key: PropertyKey): string | number {
  return typeof key === 'number' ? key : String(key);
}
