import type { LiveState } from './live-state';
import type { PlanAction } from './plan';

/**
 * The first action of a plan the server has moved past since the plan read it, in words, or null
 * when the server is still as the plan saw it: an update or a delete whose resource is at another
 * revision or gone, a create whose key someone else took. Apply checks this holding the apply
 * lock, before its first write, so a stale plan writes nothing at all. Pure.
 */
export function firstStaleAction(actions: readonly PlanAction[], live: LiveState): string | null {
  for (const action of actions) {
    const what = `${action.type} ${action.key}`;
    if (action.type === 'region') {
      const exists = live.regions.some((region) => region.name === action.key);
      if (action.action === 'create' && exists) return `${what} was created by another writer since the plan`;
      if (action.action === 'delete' && !exists) return `${what} was deleted since the plan`;
      continue;
    }
    const resources: readonly { id: string; key: string; revision: number }[] = {
      monitor: live.monitors,
      webhook: live.webhooks,
      channel: live.channels,
      policy: live.policies,
      'status-page': live.statusPages,
      maintenance: live.maintenance,
    }[action.type];
    if (action.action === 'create') {
      const taken = resources.find((resource) => resource.key === action.key);
      if (taken !== undefined) return `${what} was created by another writer since the plan (${taken.id})`;
      continue;
    }
    const current = resources.find((resource) => resource.id === action.id);
    if (current === undefined) return `${what} was deleted since the plan`;
    if (action.revision !== null && current.revision !== action.revision) {
      return `${what} changed since the plan (revision ${current.revision}, plan read ${action.revision})`;
    }
  }
  return null;
}
