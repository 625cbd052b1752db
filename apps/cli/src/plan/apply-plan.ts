import { ApiError } from '../api/api-error';
import type { ApiClient } from '../api/api-client';
import { CliFailure } from '../cli/cli-failure';
import type { ConfigFile } from '../config-file/config-file';
import type { LiveState } from './live-state';
import { webhookCreateBody } from './make-plan';
import type { Plan, PlanAction } from './plan';
import { channelCreateBody, channelPatchBody } from './channel-plan';
import { maintenanceBody } from './maintenance-plan';
import { monitorBody } from './monitor-channel-plan';
import { policyCreateBody, policyPatchBody } from './policy-plan';
import { statusPageBody } from './status-page-plan';

/** What one applied action did. */
export interface AppliedAction {
  action: PlanAction['action'];
  type: PlanAction['type'];
  key: string;
  id: string;
  /** The revision the resource is at now. */
  revision?: number;
  /** A created webhook's (or webhook channel's) signing secret: the API shows it this once. */
  secret?: string;
}

/** Another writer got there first (412, 409, or 404): apply stopped before its next write. Exit 2. */
export class ApplyConflictError extends CliFailure {
  constructor(
    message: string,
    readonly applied: readonly AppliedAction[],
  ) {
    super(message);
    this.name = 'ApplyConflictError';
  }
}

/**
 * Carries out a plan's actions one at a time, in its order, each with `If-Match` of the revision
 * the plan read (creates: the key, which the server keeps unique). The first write another writer
 * contested (412, 409, 404) stops the apply: nothing after it is written, and what was written
 * before it is listed. `onApplied` hears of each action as it lands. A status page's (and a
 * maintenance window's) monitors are resolved from key to id as it is written: the monitors of
 * `live` (the server as apply found it) and those this apply created before it; so are the
 * channels a policy or a monitor names (channels and webhooks alike: a webhook is a channel).
 */
export async function applyPlan(
  api: ApiClient,
  config: ConfigFile,
  plan: Plan,
  onApplied: (applied: AppliedAction) => void,
  live: Pick<LiveState, 'monitors' | 'webhooks' | 'channels' | 'policies'>,
): Promise<AppliedAction[]> {
  const applied: AppliedAction[] = [];
  const ids: ResolvedIds = {
    monitors: new Map(live.monitors.map((monitor) => [monitor.key, monitor.id])),
    channels: new Map([...live.webhooks, ...live.channels].map((channel) => [channel.key, channel.id])),
    live,
  };
  for (const action of plan.actions) {
    let result: AppliedAction;
    try {
      result = await applyAction(api, config, action, ids);
      if (result.type === 'monitor' && result.action === 'create') ids.monitors.set(result.key, result.id);
      if ((result.type === 'channel' || result.type === 'webhook') && result.action === 'create') ids.channels.set(result.key, result.id);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 412 || error.status === 409 || error.status === 404)) {
        throw new ApplyConflictError(conflictMessage(action, error), applied);
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliFailure(`apply stopped at ${action.action} ${action.type} ${action.key}: ${reason}\nnothing after it was applied`);
    }
    applied.push(result);
    onApplied(result);
  }
  return applied;
}

/** Ids by key of what the file names by key: as apply found the server, and what it created since. */
interface ResolvedIds {
  monitors: Map<string, string>;
  channels: Map<string, string>;
  /** The server as apply found it (a policy's update is a merge patch of the server's). */
  live: Pick<LiveState, 'policies'>;
}

async function applyAction(api: ApiClient, config: ConfigFile, action: PlanAction, ids: ResolvedIds): Promise<AppliedAction> {
  const monitorIds = ids.monitors;
  const base = { action: action.action, type: action.type, key: action.key };
  const ifMatch = action.action !== 'create' && action.revision !== null ? { ifMatch: action.revision } : {};
  switch (action.type) {
    case 'region': {
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/regions/${encodeURIComponent(action.id)}`);
        return { ...base, id: action.id };
      }
      // No credentials here: apply runs in CI, whose logs are no place for a password. An
      // operator gets them with `crosscheck regions rotate-credentials <name>`.
      await api.request('POST', '/v1/regions', { body: { name: action.key, credentials: false } });
      return { ...base, id: action.key };
    }
    case 'webhook': {
      const document = config.webhooks.find((webhook) => webhook.key === action.key)?.document;
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/webhooks/${encodeURIComponent(action.id)}`, ifMatch);
        return { ...base, id: action.id };
      }
      if (document === undefined) throw new CliFailure(`webhook ${action.key} is not in ${config.file}`);
      if (action.action === 'update') {
        const answer = await api.request<{ revision?: number }>('PATCH', `/v1/webhooks/${encodeURIComponent(action.id)}`, { ...ifMatch, body: document });
        return { ...base, id: action.id, ...revisionOf(answer.revision ?? answer.body.revision) };
      }
      const created = await api.request<{ id: string; secret?: string; revision?: number }>('POST', '/v1/webhooks', { body: webhookCreateBody(document) });
      let revision = created.revision ?? created.body.revision;
      if (!document.enabled) {
        // A new endpoint starts enabled; the file says otherwise.
        const patched = await api.request<{ revision?: number }>('PATCH', `/v1/webhooks/${encodeURIComponent(created.body.id)}`, {
          body: { enabled: false },
          ...(revision !== undefined ? { ifMatch: revision } : {}),
        });
        revision = patched.revision ?? patched.body.revision;
      }
      return { ...base, id: created.body.id, ...revisionOf(revision), ...(created.body.secret !== undefined ? { secret: created.body.secret } : {}) };
    }
    case 'monitor': {
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/monitors/${encodeURIComponent(action.id)}`, ifMatch);
        return { ...base, id: action.id };
      }
      const monitor = config.monitors.find((declared) => declared.key === action.key);
      if (monitor === undefined) throw new CliFailure(`monitor ${action.key} is not in ${config.file}`);
      const body = monitorBody(monitor, resolveChannels(action, monitor.channels, ids.channels));
      const answer =
        action.action === 'update'
          ? await api.request<{ id: string; revision?: number }>('PUT', `/v1/monitors/${encodeURIComponent(action.id)}`, { ...ifMatch, body })
          : await api.request<{ id: string; revision?: number }>('POST', '/v1/monitors', { body });
      return { ...base, id: answer.body.id, ...revisionOf(answer.revision ?? answer.body.revision) };
    }
    case 'channel': {
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/channels/${encodeURIComponent(action.id)}`, ifMatch);
        return { ...base, id: action.id };
      }
      const channel = config.channels.find((declared) => declared.key === action.key);
      if (channel === undefined) throw new CliFailure(`channel ${action.key} is not in ${config.file}`);
      if (action.action === 'update') {
        const answer = await api.request<{ revision?: number }>('PATCH', `/v1/channels/${encodeURIComponent(action.id)}`, { ...ifMatch, body: channelPatchBody(channel) });
        return { ...base, id: action.id, ...revisionOf(answer.revision ?? answer.body.revision) };
      }
      const created = await api.request<{ id: string; secret?: string; revision?: number }>('POST', '/v1/channels', { body: channelCreateBody(channel) });
      let revision = created.revision ?? created.body.revision;
      if (!channel.document.enabled) {
        // A new channel starts enabled; the file says otherwise.
        const patched = await api.request<{ revision?: number }>('PATCH', `/v1/channels/${encodeURIComponent(created.body.id)}`, {
          body: { enabled: false },
          ...(revision !== undefined ? { ifMatch: revision } : {}),
        });
        revision = patched.revision ?? patched.body.revision;
      }
      return { ...base, id: created.body.id, ...revisionOf(revision), ...(created.body.secret !== undefined ? { secret: created.body.secret } : {}) };
    }
    case 'policy': {
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/policies/${encodeURIComponent(action.id)}`, ifMatch);
        return { ...base, id: action.id };
      }
      const policy = config.policies.find((declared) => declared.key === action.key);
      if (policy === undefined) throw new CliFailure(`policy ${action.key} is not in ${config.file}`);
      const idOf = (key: string): string => resolveChannels(action, [key], ids.channels)[0]!;
      if (action.action === 'update') {
        const current = ids.live.policies.find((found) => found.id === action.id);
        if (current === undefined) throw new CliFailure(`policy ${action.key} (${action.id}) is not on the server`);
        const answer = await api.request<{ revision?: number }>('PATCH', `/v1/policies/${encodeURIComponent(action.id)}`, { ...ifMatch, body: policyPatchBody(current, policy, idOf) });
        return { ...base, id: action.id, ...revisionOf(answer.revision ?? answer.body.revision) };
      }
      const answer = await api.request<{ id: string; revision?: number }>('POST', '/v1/policies', { body: policyCreateBody(policy, idOf) });
      return { ...base, id: answer.body.id, ...revisionOf(answer.revision ?? answer.body.revision) };
    }
    case 'status-page': {
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/status-pages/${encodeURIComponent(action.id)}`, ifMatch);
        return { ...base, id: action.id };
      }
      const page = config.statusPages.find((statusPage) => statusPage.key === action.key);
      if (page === undefined) throw new CliFailure(`status page ${action.key} is not in ${config.file}`);
      const body = statusPageBody(page, resolveMonitors(action, page.document.monitors, monitorIds));
      const answer =
        action.action === 'update'
          ? await api.request<{ id: string; revision?: number }>('PUT', `/v1/status-pages/${encodeURIComponent(action.id)}`, { ...ifMatch, body })
          : await api.request<{ id: string; revision?: number }>('POST', '/v1/status-pages', { body });
      return { ...base, id: answer.body.id, ...revisionOf(answer.revision ?? answer.body.revision) };
    }
    case 'maintenance': {
      if (action.action === 'delete') {
        await api.request('DELETE', `/v1/maintenance/${encodeURIComponent(action.id)}`, ifMatch);
        return { ...base, id: action.id };
      }
      const window = config.maintenance.find((declared) => declared.key === action.key);
      if (window === undefined) throw new CliFailure(`maintenance window ${action.key} is not in ${config.file}`);
      const body = maintenanceBody(window, resolveMonitors(action, window.document.monitors ?? [], monitorIds));
      const answer =
        action.action === 'update'
          ? await api.request<{ id: string; revision?: number }>('PUT', `/v1/maintenance/${encodeURIComponent(action.id)}`, { ...ifMatch, body })
          : await api.request<{ id: string; revision?: number }>('POST', '/v1/maintenance', { body });
      return { ...base, id: answer.body.id, ...revisionOf(answer.revision ?? answer.body.revision) };
    }
  }
}

/** Monitor keys as ids: the server's monitors and those this apply created before. */
function resolveMonitors(action: PlanAction, keys: readonly string[], monitorIds: ReadonlyMap<string, string>): string[] {
  return keys.map((key) => {
    const id = monitorIds.get(key);
    if (id === undefined) throw new CliFailure(`${action.type} ${action.key} names monitor ${key}, which is neither on the server nor created by this apply`);
    return id;
  });
}

/** Channel keys as ids: the server's channels and webhooks, and those this apply created before. */
function resolveChannels(action: PlanAction, keys: readonly string[], channelIds: ReadonlyMap<string, string>): string[] {
  return keys.map((key) => {
    const id = channelIds.get(key);
    if (id === undefined) throw new CliFailure(`${action.type} ${action.key} names channel ${key}, which is neither on the server nor created by this apply`);
    return id;
  });
}

function revisionOf(revision: number | undefined): { revision?: number } {
  return revision === undefined ? {} : { revision };
}

/** "conflict: monitor api changed since the plan (revision 4, plan read 3); nothing after it was applied; run plan again" */
export function conflictMessage(action: PlanAction, error: ApiError): string {
  const what = `${action.type} ${action.key}`;
  const tail = 'nothing after it was applied; run plan again';
  if (error.status === 412) {
    const read = action.action === 'create' ? null : action.revision;
    const detail = error.problem.currentRevision !== undefined && read !== null ? `revision ${error.problem.currentRevision}, plan read ${read}` : error.problem.detail;
    return `conflict: ${what} changed since the plan (${detail}); ${tail}`;
  }
  if (error.status === 404) return `conflict: ${what} was deleted since the plan; ${tail}`;
  if (action.action === 'create') return `conflict: ${what} was created by another writer since the plan (${error.problem.detail}); ${tail}`;
  return `conflict: ${what}: ${error.problem.detail}; ${tail}`;
}
