import { createHash } from 'node:crypto';
import type { ConfigFile } from '../config-file/config-file';

/**
 * sha256 of what a file declares, variables filled in: a saved plan records it, and `apply --plan`
 * refuses a file (or an environment) that declares something else than what was planned.
 */
export function configDigest(config: ConfigFile): string {
  const declared = {
    declares: config.declares,
    regions: config.regions.map((region) => region.name),
    monitors: config.monitors.map((monitor) => ({ ...monitor.body, channels: monitor.channels })),
    webhooks: config.webhooks.map((webhook) => webhook.document),
    // Secrets too (as monitors' headers are): a plan made with other secrets is another plan.
    channels: config.channels.map((channel) => ({ ...channel.document, secrets: channel.secrets })),
    policies: config.policies.map((policy) => policy.document),
    statusPages: config.statusPages.map((page) => page.document),
    maintenance: config.maintenance.map((window) => window.document),
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(declared)).digest('hex')}`;
}
