import { redactUrl } from '@crosscheck/checks';
import type { LiveMaintenance, LiveMonitor, LiveRegion, LiveStatusPage, LiveWebhook } from '../api/wire-shapes';
import type { ConfigFile, DesiredMaintenance, DesiredMonitor, DesiredRegion, DesiredStatusPage, DesiredWebhook } from '../config-file/config-file';
import type { LiveState } from './live-state';

export interface Matched<D, L> {
  /** Declared, not on the server. */
  creates: D[];
  /** Declared and on the server (same key). */
  pairs: { desired: D; live: L }[];
  /** On the server, not declared. */
  orphans: L[];
}

export interface MatchedResources {
  monitors: Matched<DesiredMonitor, LiveMonitor>;
  webhooks: Matched<DesiredWebhook, LiveWebhook>;
  statusPages: Matched<DesiredStatusPage, LiveStatusPage>;
  maintenance: Matched<DesiredMaintenance, LiveMaintenance>;
  /** Orphans are operator regions only: regions the monitors brought come and go with them. */
  regions: Matched<DesiredRegion, LiveRegion>;
}

/** Pairs what the file declares with what the server has, by key (a region by name). Pure. */
export function matchResources(config: ConfigFile, live: LiveState): MatchedResources {
  return {
    monitors: matchBy(config.monitors, live.monitors, (m) => m.key, (m) => m.key),
    webhooks: matchBy(config.webhooks, live.webhooks, (w) => w.key, (w) => w.key),
    statusPages: matchBy(config.statusPages, live.statusPages, (p) => p.key, (p) => p.key),
    maintenance: matchBy(config.maintenance, live.maintenance, (w) => w.key, (w) => w.key),
    regions: matchBy(config.regions, live.regions, (r) => r.name, (r) => r.name, (r) => r.managedBy === 'operator'),
  };
}

function matchBy<D, L>(desired: D[], live: L[], desiredKey: (d: D) => string, liveKey: (l: L) => string, orphanable: (l: L) => boolean = () => true): Matched<D, L> {
  const byKey = new Map(live.map((item) => [liveKey(item), item]));
  const declared = new Set(desired.map(desiredKey));
  const creates: D[] = [];
  const pairs: { desired: D; live: L }[] = [];
  for (const item of desired) {
    const match = byKey.get(desiredKey(item));
    if (match === undefined) creates.push(item);
    else pairs.push({ desired: item, live: match });
  }
  const orphans = live.filter((item) => !declared.has(liveKey(item)) && orphanable(item));
  return { creates, pairs, orphans };
}

/** The URL a monitor body would show as (userinfo redacted), to compare with a live monitor's. */
export function shownUrlOf(monitor: DesiredMonitor): string {
  return redactUrl(String(monitor.body['url'] ?? ''));
}
