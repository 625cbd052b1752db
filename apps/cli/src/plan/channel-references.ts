import type { ConfigFile } from '../config-file/config-file';
import type { LiveState } from './live-state';
import type { MatchedResources } from './match-resources';

/**
 * How the file's monitors and policies name channels: by key. A key names a channel or a webhook
 * (a webhook is a channel) of the file, or one on the server that this apply does not delete.
 */
export interface ChannelReferences {
  /** Why `key` names no channel this apply leaves in place, in words; null when it does. */
  problemWith(key: string): string | null;
  /** A channel of the server by id as the file names it: its key (a channel created without a key by its id). */
  keyOf(id: string): string;
}

/** The channel keys a plan may use, from the file and the server as they were read. Pure. */
export function channelReferences(config: ConfigFile, live: LiveState, matched: MatchedResources, prune: boolean): ChannelReferences {
  const declared = new Set([...config.channels.map((channel) => channel.key), ...config.webhooks.map((webhook) => webhook.key)]);
  const prunedChannels = new Set(prune && config.declares.channels ? matched.channels.orphans.map((channel) => channel.key) : []);
  const prunedWebhooks = new Set(prune && config.declares.webhooks ? matched.webhooks.orphans.map((webhook) => webhook.key) : []);
  const keyOfId = new Map([...live.channels, ...live.webhooks].map((channel) => [channel.id, channel.key]));
  const onServer = new Set(keyOfId.values());
  return {
    problemWith(key) {
      if (declared.has(key)) return null;
      if (prunedWebhooks.has(key)) return `webhook ${key} is deleted by this apply (--prune: it is not in the file's webhooks)`;
      if (prunedChannels.has(key)) return `channel ${key} is deleted by this apply (--prune: it is not in the file's channels)`;
      if (!onServer.has(key)) return `unknown channel key "${key}": neither a channel or webhook of this file nor one on the server`;
      return null;
    },
    keyOf: (id) => keyOfId.get(id) ?? id,
  };
}
