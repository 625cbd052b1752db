import type { FieldChange } from '../api/wire-shapes';
import type { ConfigFile } from '../config-file/config-file';
import { shownUrlOf, type MatchedResources } from './match-resources';
import type { Plan, PlanAction, ResourceRef, ResourceType } from './plan';

export interface PlanInputs {
  server: string;
  config: ConfigFile;
  digest: string;
  matched: MatchedResources;
  /** The dry run's changes of each declared resource on the server, by `type:key`. */
  changes: ReadonlyMap<string, FieldChange[]>;
  prune: boolean;
}

/** The map key of a resource in {@link PlanInputs.changes}. */
export function changeKey(type: ResourceType, key: string): string {
  return `${type}:${key}`;
}

const byKey = <T extends { key: string }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The plan, from what matched and what the server's dry runs said would change. Actions come in
 * the order apply carries them out: regions first (monitors may name them), then webhooks, then
 * channels (policies and monitors name them), then policies: deletes first, then creates and
 * updates, those that leave the default before one that takes it (there is at most one default
 * policy); then monitors by key, then status pages (they name monitors): deletes of pages first,
 * so that a slug they free can be taken, then creates and updates; then maintenance windows (they
 * name monitors too): deletes, creates and updates; then deletes of monitors before channels
 * before webhooks before regions (a region goes only when no monitor needs it). A declared key
 * that is new while a resource of the same URL (a page: the same slug) goes (or stays, unpruned)
 * is named as a rename: keys never change, so a rename is a delete and a create. Pure.
 */
export function assemblePlan({ server, config, digest, matched, changes, prune }: PlanInputs): Plan {
  const actions: PlanAction[] = [];
  const notes: string[] = [];
  const notInFile: ResourceRef[] = [];
  let unchanged = 0;
  /** `type:old key` -> the declared key that looks like its rename. */
  const successors = new Map<string, string>();

  // Regions.
  for (const region of [...matched.regions.creates].sort((a, b) => (a.name < b.name ? -1 : 1))) actions.push({ action: 'create', type: 'region', key: region.name });
  for (const { desired, live } of matched.regions.pairs) {
    if (live.managedBy === 'operator') unchanged += 1;
    else
      actions.push({
        action: 'update',
        type: 'region',
        key: desired.name,
        id: live.name,
        revision: null,
        changes: [{ path: 'managedBy', before: 'monitors', after: 'operator' }],
        note: 'monitors brought it; an operator keeps it from now on',
      });
  }

  // Deletes: only what the file manages (its section is there), only with --prune.
  const orphan = (ref: ResourceRef & { revision: number | null }, managed: boolean): void => {
    if (!managed) return;
    const id = ref.id ?? ref.key;
    if (!prune) {
      notInFile.push({ type: ref.type, key: ref.key, id });
      return;
    }
    const successor = successors.get(changeKey(ref.type, ref.key));
    actions.push({
      action: 'delete',
      type: ref.type,
      key: ref.key,
      id,
      revision: ref.revision,
      ...(successor !== undefined ? { note: `renamed to ${successor}: a key never changes, so the rename deletes ${ref.key} and creates ${successor}` } : {}),
    });
  };

  // Webhooks: creates and updates by key.
  const webhookOrphanUrls = new Map(matched.webhooks.orphans.map((w) => [w.url, w.key]));
  const webhookWrites: PlanAction[] = [];
  for (const webhook of matched.webhooks.creates) {
    const renamed = webhookOrphanUrls.get(webhook.document.url);
    if (renamed !== undefined) successors.set(changeKey('webhook', renamed), webhook.key);
    webhookWrites.push({ action: 'create', type: 'webhook', key: webhook.key, ...(renamed !== undefined ? { note: renameNote('webhook', renamed, webhook.key, prune) } : {}) });
  }
  for (const { desired, live } of matched.webhooks.pairs) {
    const found = changes.get(changeKey('webhook', desired.key)) ?? [];
    if (found.length === 0) unchanged += 1;
    else webhookWrites.push({ action: 'update', type: 'webhook', key: desired.key, id: live.id, revision: live.revision, changes: found });
  }
  actions.push(...webhookWrites.sort(byKey));

  // Channels: creates and updates by key.
  const channelWrites: PlanAction[] = matched.channels.creates.map((channel) => ({ action: 'create', type: 'channel', key: channel.key }));
  for (const { desired, live } of matched.channels.pairs) {
    const found = changes.get(changeKey('channel', desired.key)) ?? [];
    if (found.length === 0) unchanged += 1;
    else channelWrites.push({ action: 'update', type: 'channel', key: desired.key, id: live.id, revision: live.revision, changes: found });
  }
  actions.push(...channelWrites.sort(byKey));

  // Policies: deletes, then the writes of policies that are no default, then the default's.
  for (const policy of [...matched.policies.orphans].sort(byKey)) orphan({ type: 'policy', key: policy.key, id: policy.id, revision: policy.revision }, config.declares.policies);
  const policyWrites: (PlanAction & { default: boolean })[] = matched.policies.creates.map((policy) => ({ action: 'create', type: 'policy', key: policy.key, default: policy.document.default }));
  for (const { desired, live } of matched.policies.pairs) {
    const found = changes.get(changeKey('policy', desired.key)) ?? [];
    if (found.length === 0) unchanged += 1;
    else policyWrites.push({ action: 'update', type: 'policy', key: desired.key, id: live.id, revision: live.revision, changes: found, default: desired.document.default });
  }
  actions.push(...policyWrites.sort((a, b) => Number(a.default) - Number(b.default) || byKey(a, b)).map(({ default: _default, ...action }) => action as PlanAction));

  // Monitors: creates and updates by key.
  const monitorOrphanUrls = new Map(matched.monitors.orphans.map((m) => [m.spec.url, m.key]));
  const monitorWrites: PlanAction[] = [];
  for (const monitor of matched.monitors.creates) {
    const renamed = monitorOrphanUrls.get(shownUrlOf(monitor));
    if (renamed !== undefined) successors.set(changeKey('monitor', renamed), monitor.key);
    monitorWrites.push({ action: 'create', type: 'monitor', key: monitor.key, ...(renamed !== undefined ? { note: renameNote('monitor', renamed, monitor.key, prune) } : {}) });
  }
  for (const { desired, live } of matched.monitors.pairs) {
    const found = changes.get(changeKey('monitor', desired.key)) ?? [];
    if (found.length === 0) unchanged += 1;
    else monitorWrites.push({ action: 'update', type: 'monitor', key: desired.key, id: live.id, revision: live.revision, changes: found });
  }
  actions.push(...monitorWrites.sort(byKey));

  // Status pages: deletes (which free their slugs), then creates and updates by key.
  const pageOrphanSlugs = new Map(matched.statusPages.orphans.map((p) => [p.slug, p.key]));
  const pageWrites: PlanAction[] = [];
  for (const page of matched.statusPages.creates) {
    const renamed = pageOrphanSlugs.get(page.document.slug);
    if (renamed !== undefined) successors.set(changeKey('status-page', renamed), page.key);
    pageWrites.push({ action: 'create', type: 'status-page', key: page.key, ...(renamed !== undefined ? { note: renameNote('status-page', renamed, page.key, prune, 'slug') } : {}) });
  }
  for (const { desired, live } of matched.statusPages.pairs) {
    const found = changes.get(changeKey('status-page', desired.key)) ?? [];
    if (found.length === 0) unchanged += 1;
    else pageWrites.push({ action: 'update', type: 'status-page', key: desired.key, id: live.id, revision: live.revision, changes: found });
  }
  for (const page of [...matched.statusPages.orphans].sort(byKey)) orphan({ type: 'status-page', key: page.key, id: page.id, revision: page.revision }, config.declares.statusPages);
  actions.push(...pageWrites.sort(byKey));

  // Maintenance windows: deletes, then creates and updates by key.
  const windowWrites: PlanAction[] = matched.maintenance.creates.map((window) => ({ action: 'create', type: 'maintenance', key: window.key }));
  for (const { desired, live } of matched.maintenance.pairs) {
    const found = changes.get(changeKey('maintenance', desired.key)) ?? [];
    if (found.length === 0) unchanged += 1;
    else windowWrites.push({ action: 'update', type: 'maintenance', key: desired.key, id: live.id, revision: live.revision, changes: found });
  }
  for (const window of [...matched.maintenance.orphans].sort(byKey)) orphan({ type: 'maintenance', key: window.key, id: window.id, revision: window.revision }, config.declares.maintenance);
  actions.push(...windowWrites.sort(byKey));

  // Deletes of what names nothing of what goes after: monitors, then channels, webhooks and regions.

  for (const monitor of [...matched.monitors.orphans].sort(byKey)) orphan({ type: 'monitor', key: monitor.key, id: monitor.id, revision: monitor.revision }, config.declares.monitors);
  for (const channel of [...matched.channels.orphans].sort(byKey)) orphan({ type: 'channel', key: channel.key, id: channel.id, revision: channel.revision }, config.declares.channels);
  for (const webhook of [...matched.webhooks.orphans].sort(byKey)) orphan({ type: 'webhook', key: webhook.key, id: webhook.id, revision: webhook.revision }, config.declares.webhooks);

  // A region the file leaves out goes only when none of the file's monitors checks from it.
  const usedRegions = new Set(config.monitors.flatMap((monitor) => (Array.isArray(monitor.body['regions']) ? monitor.body['regions'].map(String) : [])));
  for (const region of [...matched.regions.orphans].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (config.declares.regions && usedRegions.has(region.name)) {
      notes.push(`region ${region.name} is not in the file, but monitors of the file check from it: kept (it goes with the last monitor that names it)`);
      continue;
    }
    orphan({ type: 'region', key: region.name, id: region.name, revision: null }, config.declares.regions);
  }

  return { server, file: config.file, digest, actions, unchanged, notInFile, notes };
}

function renameNote(type: ResourceType, previous: string, next: string, prune: boolean, same: 'URL' | 'slug' = 'URL'): string {
  return prune
    ? `replaces ${type} ${previous} of the same ${same}: a key never changes, so renaming it is delete + create`
    : `same ${same} as ${type} ${previous} on the server, which the file no longer has: if this renames it, a key never changes, so renaming is delete + create (run with --prune to delete ${previous})`;
}
