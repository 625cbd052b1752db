import { redactUrl } from '@crosscheck/checks';
import type { LiveChannel, LiveMaintenance, LiveMonitor, LivePolicy, LiveRegion, LiveStatusPage, LiveWebhook } from '../api/wire-shapes';
import type { ConfigFile, DesiredChannel, DesiredMaintenance, DesiredMonitor, DesiredPolicy, DesiredRegion, DesiredStatusPage, DesiredWebhook } from '../config-file/config-file';
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
  /**
   * Orphans are channels `/v1/webhooks` does not list: a webhook is a channel too, and the
   * `webhooks:` section is the one that prunes it.
   */
  channels: Matched<DesiredChannel, LiveChannel>;
  policies: Matched<DesiredPolicy, LivePolicy>;
  /** Orphans are operator regions only: regions the monitors brought come and go with them. */
  regions: Matched<DesiredRegion, LiveRegion>;
}

/**
 * Pairs what the file declares with what the server has, by key (a region by name). A webhook is
 * a channel (keys are unique among both): one the file declares as a channel is no webhook
 * orphan, and a webhook is never a channel orphan. Pure.
 */
export function matchResources(config: ConfigFile, live: LiveState): MatchedResources {
  const webhookIds = new Set(live.webhooks.map((webhook) => webhook.id));
  const channelKeys = new Set(config.channels.map((channel) => channel.key));
  return {
    monitors: matchBy(config.monitors, live.monitors, (m) => m.key, (m) => m.key),
    webhooks: matchBy(config.webhooks, live.webhooks, (w) => w.key, (w) => w.key, (w) => !channelKeys.has(w.key)),
    channels: matchBy(config.channels, live.channels, (c) => c.key, (c) => c.key, (c) => !webhookIds.has(c.id)),
    policies: matchBy(config.policies, live.policies, (p) => p.key, (p) => p.key),
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
