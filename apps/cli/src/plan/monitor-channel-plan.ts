import { documentChanges } from '@crosscheck/contract';
import type { FieldChange } from '../api/wire-shapes';
import type { ConfigFile, DesiredMonitor } from '../config-file/config-file';
import type { ChannelReferences } from './channel-references';
import type { MatchedResources } from './match-resources';
import type { StatusPageIssue } from './status-page-plan';

/**
 * What the plan says of the channels the file's monitors name directly, by key, worked out on the
 * client: a channel the same apply creates has no id yet, so a monitor's dry run is sent with the
 * channels the server's monitor already has ({@link monitorDryRunBody}) and the server compares
 * everything else. Every key must name a channel this apply leaves in place; an update's changes
 * compare the keys (`channels.0`). Pure.
 */
export function planMonitorChannels(config: ConfigFile, matched: MatchedResources, channels: ChannelReferences): { issues: StatusPageIssue[]; /** By monitor key. */ changes: Map<string, FieldChange[]> } {
  const issues: StatusPageIssue[] = [];
  const changes = new Map<string, FieldChange[]>();
  for (const monitor of config.monitors) {
    monitor.channels.forEach((key, index) => {
      const problem = channels.problemWith(key);
      if (problem !== null) issues.push({ path: [...monitor.path, 'channels', index], message: problem });
    });
  }
  for (const { desired, live } of matched.monitors.pairs) {
    changes.set(desired.key, documentChanges({ channels: (live.channels ?? []).map(channels.keyOf) }, { channels: desired.channels }));
  }
  return { issues, changes };
}

/** The body of a monitor's dry run: the file's, with the channels the server's monitor has now (none for a create). */
export function monitorDryRunBody(monitor: DesiredMonitor, liveChannelIds: readonly string[] = []): Record<string, unknown> {
  return liveChannelIds.length > 0 ? { ...monitor.body, channels: liveChannelIds } : monitor.body;
}

/** The body `POST` and `PUT /v1/monitors` take for a monitor of the file, its channels' keys resolved to ids. */
export function monitorBody(monitor: DesiredMonitor, channelIds: readonly string[]): Record<string, unknown> {
  return channelIds.length > 0 ? { ...monitor.body, channels: channelIds } : monitor.body;
}
