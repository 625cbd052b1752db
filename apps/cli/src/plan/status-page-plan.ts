import { documentChanges } from '@crosscheck/contract';
import type { FieldChange, LiveStatusPage } from '../api/wire-shapes';
import type { ConfigFile, DesiredStatusPage, StatusPageDocument } from '../config-file/config-file';
import type { IssuePath } from '../config-file/issue-path';
import type { LiveState } from './live-state';
import type { MatchedResources } from './match-resources';

/** A status page issue of a plan, where in the file it is. */
export interface StatusPageIssue {
  path: IssuePath;
  message: string;
}

/**
 * What the plan says of the file's status pages, worked out on the client: a page's monitors are
 * named by key, and a monitor the same apply creates has no id to send a dry run yet. Every
 * monitor key a page names must be a monitor of the file or of the server that this apply does not
 * delete; a slug must be free, or held by a page this apply deletes (`--prune`: a page's delete
 * comes before the pages' writes) or moves off it. The changes of an update compare the file's page
 * with the server's, its monitors as keys (`monitors.1`). Pure.
 */
export function planStatusPages(config: ConfigFile, live: LiveState, matched: MatchedResources, prune: boolean): { issues: StatusPageIssue[]; /** By page key. */ changes: Map<string, FieldChange[]> } {
  const issues: StatusPageIssue[] = [];
  const changes = new Map<string, FieldChange[]>();
  const keyOfMonitor = new Map(live.monitors.map((monitor) => [monitor.id, monitor.key]));
  const declaredMonitors = new Set(config.monitors.map((monitor) => monitor.key));
  const prunedMonitors = new Set(prune && config.declares.monitors ? matched.monitors.orphans.map((monitor) => monitor.key) : []);
  const liveMonitors = new Set(live.monitors.map((monitor) => monitor.key));
  const prunedPages = new Set(prune && config.declares.statusPages ? matched.statusPages.orphans.map((page) => page.key) : []);
  const declaredPages = new Set(config.statusPages.map((page) => page.key));

  for (const page of config.statusPages) {
    page.document.monitors.forEach((key, index) => {
      const path = [...page.path, 'monitors', index];
      if (declaredMonitors.has(key)) return;
      if (prunedMonitors.has(key)) issues.push({ path, message: `monitor ${key} is deleted by this apply (--prune: it is not in the file's monitors)` });
      else if (!liveMonitors.has(key)) issues.push({ path, message: `unknown monitor key "${key}": neither a monitor of this file nor one on the server` });
    });
    // A holder the file declares either moves off the slug or shares it with this page (reported where the file is read).
    const holder = live.statusPages.find((other) => other.slug === page.document.slug && other.key !== page.key);
    if (holder !== undefined && !prunedPages.has(holder.key) && !declaredPages.has(holder.key)) {
      issues.push({
        path: [...page.path, 'slug'],
        message: `slug "${page.document.slug}" is taken by status page ${holder.key} on the server, which the file does not have${config.declares.statusPages ? ' (apply with --prune to delete it)' : ''}`,
      });
    }
  }
  for (const { desired, live: current } of matched.statusPages.pairs) {
    changes.set(desired.key, documentChanges(liveDocument(current, keyOfMonitor), desired.document));
  }
  return { issues, changes };
}

/** A page of the server as the file would write it: its monitors by key (a monitor without a key by its id). */
export function liveDocument(page: LiveStatusPage, keyOfMonitor: ReadonlyMap<string, string>): StatusPageDocument {
  return {
    key: page.key,
    slug: page.slug,
    title: page.title,
    description: page.description,
    monitors: page.monitorIds.map((id) => keyOfMonitor.get(id) ?? id),
  };
}

/** The body `POST` and `PUT /v1/status-pages` take for a page of the file, its monitors' keys resolved to ids. */
export function statusPageBody(page: DesiredStatusPage, monitorIds: readonly string[]): Record<string, unknown> {
  const { key, slug, title, description } = page.document;
  return { key, slug, title, description, monitorIds };
}
