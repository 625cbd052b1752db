import { ApiError } from '../api/api-error';
import type { ApiClient } from '../api/api-client';
import { dryRunSchema, readAnswer, type FieldChange } from '../api/wire-shapes';
import { CliFailure } from '../cli/cli-failure';
import type { ConfigFile } from '../config-file/config-file';
import { ConfigFileError, type ConfigFileIssue } from '../config-file/config-file-error';
import { formatIssuePath, resolveDottedPath, type IssuePath } from '../config-file/issue-path';
import { assemblePlan, changeKey } from './assemble-plan';
import { configDigest } from './config-digest';
import { readLiveState, type LiveState } from './live-state';
import { matchResources } from './match-resources';
import { channelCreateBody, channelPatchBody, planChannels } from './channel-plan';
import { channelReferences } from './channel-references';
import { planMaintenance } from './maintenance-plan';
import { monitorDryRunBody, planMonitorChannels } from './monitor-channel-plan';
import { planPolicies } from './policy-plan';
import { planStatusPages } from './status-page-plan';
import type { Plan, ResourceType } from './plan';

/** Dry runs in flight at once: enough to plan hundreds of monitors quickly, few enough to be polite. */
const DRY_RUN_CONCURRENCY = 4;

interface DryRun {
  type: ResourceType;
  key: string;
  /** The declared entry and where it is in the file, to place the server's issues. */
  entry: unknown;
  path: IssuePath;
  run: () => Promise<unknown>;
  /** Whether the changes count (an update) or the dry run only validates (a create). */
  diff: boolean;
}

/**
 * Reads the server and asks it, resource by resource, what applying the file would change: a
 * dry run (`?dryRun=true`, with `If-Match` of the revision read) for every declared resource, so
 * the server validates with its own configuration (its minimum interval, its refused targets)
 * and compares secrets it alone can open. Nothing is written. Issues the server finds are placed
 * in the file like the offline ones. Status pages and maintenance windows are planned on the
 * client (`planStatusPages`, `planMaintenance`): they name monitors by key, some of which this
 * apply creates; so are policies and the channels a monitor names (by channel key), and channels
 * (`planChannels`: the server never shows their secrets), whose creates and updates a dry run
 * then validates with the server's own settings (its refused targets).
 */
export async function makePlan(api: ApiClient, config: ConfigFile, options: { prune: boolean }): Promise<{ plan: Plan; live: LiveState }> {
  const live = await readLiveState(api);
  for (const [section, route] of [['channels', '/v1/channels'], ['policies', '/v1/policies']] as const) {
    // An empty section asks nothing of a coordinator without the resource.
    if (config[section].length > 0 && live.absentRoutes?.includes(route)) {
      throw new CliFailure(`${config.file} declares ${section}, and the coordinator at ${api.baseUrl} has no ${route} (it is older than this CLI): upgrade it, or leave the ${section} section out`);
    }
  }
  const matched = matchResources(config, live);
  const references = channelReferences(config, live, matched, options.prune);
  const channelPlan = planChannels(config, matched);
  const dryRuns: DryRun[] = [
    ...matched.channels.creates.map((c) => ({
      type: 'channel' as const,
      key: c.key,
      entry: c.document,
      path: c.path,
      diff: false,
      run: () => api.request('POST', '/v1/channels', { query: { dryRun: true }, body: channelCreateBody(c) }),
    })),
    // Only those that change: the changes are the client's (planChannels), the dry run validates.
    ...matched.channels.pairs
      .filter(({ desired }) => (channelPlan.changes.get(desired.key) ?? []).length > 0)
      .map(({ desired, live: current }) => ({
        type: 'channel' as const,
        key: desired.key,
        entry: desired.document,
        path: desired.path,
        diff: false,
        run: () => api.request('PATCH', `/v1/channels/${encodeURIComponent(current.id)}`, { query: { dryRun: true }, ifMatch: current.revision, body: channelPatchBody(desired) }),
      })),
    ...matched.webhooks.creates.map((w) => ({
      type: 'webhook' as const,
      key: w.key,
      entry: w.document,
      path: w.path,
      diff: false,
      run: () => api.request('POST', '/v1/webhooks', { query: { dryRun: true }, body: webhookCreateBody(w.document) }),
    })),
    ...matched.webhooks.pairs.map(({ desired, live: current }) => ({
      type: 'webhook' as const,
      key: desired.key,
      entry: desired.document,
      path: desired.path,
      diff: true,
      run: () => api.request('PATCH', `/v1/webhooks/${encodeURIComponent(current.id)}`, { query: { dryRun: true }, ifMatch: current.revision, body: desired.document }),
    })),
    ...matched.monitors.creates.map((m) => ({
      type: 'monitor' as const,
      key: m.key,
      entry: m.body,
      path: m.path,
      diff: false,
      run: () => api.request('POST', '/v1/monitors', { query: { dryRun: true }, body: monitorDryRunBody(m) }),
    })),
    ...matched.monitors.pairs.map(({ desired, live: current }) => ({
      type: 'monitor' as const,
      key: desired.key,
      entry: desired.body,
      path: desired.path,
      diff: true,
      run: () =>
        api.request('PUT', `/v1/monitors/${encodeURIComponent(current.id)}`, { query: { dryRun: true }, ifMatch: current.revision, body: monitorDryRunBody(desired, current.channels) }),
    })),
  ];

  const changes = new Map<string, FieldChange[]>();
  const issues: ConfigFileIssue[] = [];
  const pages = planStatusPages(config, live, matched, options.prune);
  const windows = planMaintenance(config, live, matched, options.prune);
  const policies = planPolicies(config, live, matched, options.prune, references);
  const monitorChannels = planMonitorChannels(config, matched, references);
  for (const [key, found] of pages.changes) changes.set(changeKey('status-page', key), found);
  for (const [key, found] of windows.changes) changes.set(changeKey('maintenance', key), found);
  for (const [key, found] of channelPlan.changes) changes.set(changeKey('channel', key), found);
  for (const [key, found] of policies.changes) changes.set(changeKey('policy', key), found);
  for (const issue of [...pages.issues, ...windows.issues, ...channelPlan.issues, ...policies.issues, ...monitorChannels.issues]) {
    const { line, col } = config.locate(issue.path);
    issues.push({ file: config.file, path: formatIssuePath(issue.path), line, col, message: issue.message });
  }
  await forEachLimited(dryRuns, DRY_RUN_CONCURRENCY, async (dryRun) => {
    try {
      const answer = (await dryRun.run()) as { body: unknown };
      const result = readAnswer(dryRunSchema, answer.body, `the dry run of ${dryRun.type} ${dryRun.key}`);
      if (dryRun.diff) changes.set(changeKey(dryRun.type, dryRun.key), dryRun.type === 'monitor' ? result.changes.map(asMonitorFilePath) : result.changes);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const found = error.problem.issues.length > 0 ? error.problem.issues : [{ path: '', message: error.problem.detail }];
        for (const issue of found) {
          const path = [...dryRun.path, ...resolveDottedPath(dryRun.entry, issue.path)];
          const { line, col } = config.locate(path);
          issues.push({ file: config.file, path: formatIssuePath(path), line, col, message: `${issue.message} (the coordinator at ${api.baseUrl} says)` });
        }
        return;
      }
      // Another writer moved the server between the read and the dry run (another apply, most likely).
      if (error instanceof ApiError && error.status === 412) {
        throw new CliFailure(`conflict: ${dryRun.type} ${dryRun.key} changed while the plan was being made (${error.problem.detail}); nothing was applied; run plan again`);
      }
      if (error instanceof ApiError && error.status === 409 && !dryRun.diff) {
        throw new CliFailure(`conflict: ${dryRun.type} ${dryRun.key} was created by another writer while the plan was being made (${error.problem.detail}); nothing was applied; run plan again`);
      }
      throw error;
    }
  });
  if (issues.length > 0) throw new ConfigFileError(config.file, issues.sort((a, b) => a.line - b.line || a.col - b.col));
  // The server compared the rest of each monitor; the channels it names by key are compared here.
  for (const [key, found] of monitorChannels.changes) {
    if (found.length > 0) changes.set(changeKey('monitor', key), [...(changes.get(changeKey('monitor', key)) ?? []), ...found]);
  }

  const plan = assemblePlan({ server: api.baseUrl, config, digest: configDigest(config), matched, changes, prune: options.prune });
  return { plan, live };
}

/**
 * The server names a monitor's changes as it stores the monitor (`spec.expect.json.0.value`); the
 * file writes the spec's fields beside the monitor's own, as the API body does (`expect.json.0.value`).
 */
export function asMonitorFilePath(change: FieldChange): FieldChange {
  return change.path.startsWith('spec.') ? { ...change, path: change.path.slice('spec.'.length) } : change;
}

/** What `POST /v1/webhooks` takes of a webhook document: everything but `enabled` (a new endpoint is enabled). */
export function webhookCreateBody(document: { key: string; url: string; events: string[]; description: string | null }): Record<string, unknown> {
  return { key: document.key, url: document.url, events: document.events, description: document.description };
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
